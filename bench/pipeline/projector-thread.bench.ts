// `npm run bench:projector-thread [-- --rate 400 --pairs 4 --seconds 30]`: the pipeline's maximum
// and its projection lag at a fixed rate, with the projector's consumer in its own worker thread
// against on the main thread (PROJECTOR_THREAD), in alternating rounds of one run. Each round starts the
// all-in-one process afresh, on a database and topics of its own. The order flips every pair
// (worker, main, main, worker, …), so a host that drifts during the run favours neither.
// Appends its figures to the month's file in bench/history/.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ProjectorThread, loadConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { dropDatabase, ensureDatabase, migrate } from '@backbone/database';
import { startLocalKafka } from '../../infra/kafka/local-kafka-broker';
import { findFreePort } from '../../infra/dev-stack/free-port';
import { describeMachine } from '../bench-report';
import { appendToResultsHistory } from '../results-history';
import { AgencyLoad } from './agency-load';
import { startBackboneProcess } from './backbone-process';
import { cpuTicks, stealBetween } from './host-steal';
import { percentile } from './latency';
import { processUsage } from './process-usage';
import { paced, readModelCaughtUp, saturate } from './paced-load';
import { startLagPhase } from './projection-lag';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '400' },
    pairs: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '30' },
  },
});
const RATE = Number(args.rate);
const PAIRS = Number(args.pairs);
const SECONDS = Number(args.seconds);
/** Seconds at the rate before a round is timed: connections, JIT, group assignment, heap growth. */
const WARM_UP_SECONDS = 10;
/** Commands sent at once to measure the round's maximum, before its paced part. */
const SATURATION_COMMANDS = 5_000;

interface Round {
  thread: ProjectorThread;
  /** Commands a second when sent as fast as they are taken. */
  maximum: number;
  /** The process's resident memory right after that, in MiB. */
  rssMiB: number;
  lagP50: number;
  lagP99: number;
  /** The part after the publisher's produce. */
  consumeP99: number;
  outcomeP99: number;
  steal: number;
}

const progress = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

async function runRound(brokers: string[], thread: ProjectorThread, round: number): Promise<Round> {
  const databaseUrl = new URL(loadConfig().databaseUrl);
  databaseUrl.pathname = `/backbone_bench_projector_thread_${Date.now()}`;
  await ensureDatabase(databaseUrl.toString());
  await migrate(databaseUrl.toString());
  const prefix = `r${round}-${Date.now()}.`;
  const port = await findFreePort();
  const backbone = await startBackboneProcess({
    KAFKA_BROKERS: brokers.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    DATABASE_URL: databaseUrl.toString(),
    PORT: String(port),
    PROJECTOR_THREAD: thread,
  });
  const load = await AgencyLoad.start(brokers, new TopicNames(prefix));
  try {
    await paced(load, RATE, WARM_UP_SECONDS);
    const maximum = SATURATION_COMMANDS / (await saturate(load, SATURATION_COMMANDS));
    const rssMiB = processUsage(backbone.child.pid as number).rssBytes / 2 ** 20;
    await readModelCaughtUp(databaseUrl.toString(), load);
    const lagOfPhase = await startLagPhase(`http://127.0.0.1:${port}`);
    const ticks = cpuTicks();
    const outcome = await paced(load, RATE, SECONDS);
    const steal = stealBetween(ticks, cpuTicks());
    await readModelCaughtUp(databaseUrl.toString(), load);
    const { whole: lag, afterProduce: consume } = await lagOfPhase();
    return {
      thread,
      maximum,
      rssMiB,
      lagP50: lag.p50,
      lagP99: lag.p99,
      consumeP99: consume.p99,
      outcomeP99: outcome.p99,
      steal,
    };
  } finally {
    await load.stop();
    await backbone.stop();
    await dropDatabase(databaseUrl.toString());
  }
}

const median = (values: number[]): number =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

async function main(): Promise<void> {
  const started = new Date();
  progress(`${PAIRS} pairs of ${SECONDS} s rounds at ${RATE} commands/s; starting a Kafka broker`);
  const kafka = await startLocalKafka();
  const rounds: Round[] = [];
  try {
    for (let pair = 0; pair < PAIRS; pair++) {
      const order: ProjectorThread[] = pair % 2 ? ['main', 'worker'] : ['worker', 'main'];
      for (const thread of order) {
        const round = await runRound(kafka.brokers, thread, rounds.length);
        progress(
          `  ${thread}: maximum ${Math.round(round.maximum)} commands/s, RSS ${Math.round(round.rssMiB)} MiB; projection lag p50 ${round.lagP50.toFixed(0)} / p99 ${round.lagP99.toFixed(0)} ms (after the produce p99 ${round.consumeP99.toFixed(0)}); outcome p99 ${round.outcomeP99.toFixed(0)} ms; steal ${round.steal.toFixed(1)} %`,
        );
        rounds.push(round);
      }
    }
  } finally {
    await kafka.stop();
  }
  const of = (thread: ProjectorThread, pick: (round: Round) => number) =>
    median(rounds.filter((round) => round.thread === thread).map(pick));
  const summary = (label: string, pick: (round: Round) => number, unit = 'ms') => {
    const worker = of('worker', pick);
    const main = of('main', pick);
    return `| ${label} | ${worker.toFixed(0)} ${unit} | ${main.toFixed(0)} ${unit} | ${(worker / main).toFixed(2)} |`;
  };
  const anyDatabase = new URL(loadConfig().databaseUrl);
  anyDatabase.pathname = '/postgres';
  const machine = await describeMachine(anyDatabase.toString());
  const report = [
    `\n## Projector thread, ${started.toISOString()}\n`,
    `Machine: ${machine}. Everything co-located: Kafka broker, PostgreSQL, the backbone process and this load generator.`,
    `${PAIRS} pairs of rounds at ${RATE} commands/s for ${SECONDS} s each, the projector's consumer in a worker thread (\`PROJECTOR_THREAD=worker\`) or on the main thread (\`main\`), in alternating order; each round a fresh process, database and topics.\n`,
    '| median of the rounds | worker | main | worker ÷ main |',
    '|---|---:|---:|---:|',
    summary(
      `pipeline maximum (${SATURATION_COMMANDS} commands sent at once)`,
      (r) => r.maximum,
      'commands/s',
    ),
    summary('backbone process RSS right after that', (r) => r.rssMiB, 'MiB'),
    summary('projection lag p50 (event recorded → read-model row committed)', (r) => r.lagP50),
    summary('projection lag p99', (r) => r.lagP99),
    summary("projection lag p99 after the publisher's produce", (r) => r.consumeP99),
    summary('command → outcome p99', (r) => r.outcomeP99),
    '',
    '| round | thread | maximum | RSS | lag p50 / p99 | after the produce, p99 | outcome p99 | host steal |',
    '|---:|---|---:|---:|---:|---:|---:|---:|',
    ...rounds.map(
      (r, i) =>
        `| ${i + 1} | ${r.thread} | ${Math.round(r.maximum)} commands/s | ${Math.round(r.rssMiB)} MiB | ${r.lagP50.toFixed(0)} / ${r.lagP99.toFixed(0)} ms | ${r.consumeP99.toFixed(0)} ms | ${r.outcomeP99.toFixed(0)} ms | ${r.steal.toFixed(1)} % |`,
    ),
    '',
  ].join('\n');
  process.stdout.write(report);
  appendToResultsHistory(report, started);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
