// `npm run bench:pipeline [-- --quick]`: referral commands end to end (command topic → sector
// service → event store → outcome, publisher → projector read model) beside the raw Kafka and
// PostgreSQL ceilings, in one run on this machine. Appends its figures to the month's file in
// bench/history/.
import 'reflect-metadata';
import { join } from 'node:path';
import { loadConfig, projectRoot } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { dropDatabase, ensureDatabase, migrate } from '@backbone/database';
import { startLocalKafka } from '../../infra/kafka/local-kafka-broker';
import { findFreePort } from '../../infra/dev-stack/free-port';
import { describeMachine } from '../bench-report';
import { appendToResultsHistory } from '../results-history';
import { AgencyLoad, makeCommand } from './agency-load';
import { startBackboneProcess } from './backbone-process';
import { kafkaCeiling, postgresCeiling } from './ceilings';
import { LatencySummary, summarise } from './latency';
import { paced, readModelCaughtUp, saturate } from './paced-load';
import { processUsage } from './process-usage';
import { cpuTicks, stealBetween } from './host-steal';
import { RecordCounts, recordsOnTopics, recordsPerCommand } from './kafka-traffic';
import { ReadModelArrivals } from './read-model-arrivals';
import { LagSummary, startLagPhase } from './projection-lag';

const quick = process.argv.includes('--quick');
const cpuProfile = process.argv.includes('--cpu-prof');
const SIZES = quick
  ? { ceilingMessages: 2_000, saturation: 400, pacedSeconds: 2, pgSeconds: 1 }
  : { ceilingMessages: 50_000, saturation: 10_000, pacedSeconds: 30, pgSeconds: 5 };
// Each paced phase runs for half a minute: over 10 s, one stall of the shared machine decided
// a phase's p99 (the same build gave 74 and 158 ms at half load in two runs).
const LOADS = [0.25, 0.5, 0.9];
/** In the second saturation run, one command in this many is sent twice (an agency's retry). */
const SENT_TWICE_EVERY = 50;
/** How often the read model is looked at for the referrals whose commands are in flight. */
const ARRIVAL_POLL_MS = 5;
/** One referral in this many is watched for its read-model row (thousands in a 30 s phase). */
const ARRIVAL_SAMPLE_EVERY = 5;

const progress = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

const totalRecords = (counts: RecordCounts): number =>
  Object.values(counts).reduce((sum, n) => sum + n, 0);

/** `1.00 commands + 1.00 outcomes + …`, the kinds with any records. */
const describeRecords = (counts: RecordCounts): string =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n.toFixed(2)} ${kind}`)
    .join(' + ');

async function main(): Promise<void> {
  const started = new Date();
  progress(`${quick ? 'quick' : 'full'} run; starting a Kafka broker`);
  const kafka = await startLocalKafka();
  const databaseUrl = new URL(loadConfig().databaseUrl);
  databaseUrl.pathname = `/backbone_bench_pipeline_${Date.now()}`;
  await ensureDatabase(databaseUrl.toString());
  await migrate(databaseUrl.toString());
  try {
    progress('Kafka ceiling: kafkajs produce → consume');
    const sample = makeCommand(0).value;
    const kafkaRate = await kafkaCeiling(kafka.brokers, SIZES.ceilingMessages, sample, 100);
    progress(`  ${Math.round(kafkaRate)} msgs/s`);
    progress('PostgreSQL ceiling: single-row INSERT transactions, 16 clients');
    const pgRate = await postgresCeiling(databaseUrl.toString(), 16, SIZES.pgSeconds);
    progress(`  ${Math.round(pgRate)} tx/s`);

    const port = await findFreePort();
    progress('starting the all-in-one backbone process');
    const backbone = await startBackboneProcess(
      {
        KAFKA_BROKERS: kafka.brokers.join(','),
        DATABASE_URL: databaseUrl.toString(),
        PORT: String(port),
      },
      // `--cpu-prof`: the backbone writes a V8 CPU profile to bench/profiles when it stops.
      cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${join(projectRoot(), 'bench/profiles')}`] : [],
    );
    const names = new TopicNames('');
    const load = await AgencyLoad.start(kafka.brokers, names);
    try {
      await load.send(100);
      await load.drained(60_000); // warm-up: connections, JIT, group assignment

      progress(`saturation: ${SIZES.saturation} commands as fast as they are taken`);
      const pid = backbone.child.pid as number;
      const before = processUsage(pid);
      const recordsBefore = await recordsOnTopics(kafka.brokers, names);
      const ticksBefore = cpuTicks();
      const seconds = await saturate(load, SIZES.saturation);
      const saturationSteal = stealBetween(ticksBefore, cpuTicks());
      const after = processUsage(pid);
      const maxRate = SIZES.saturation / seconds;
      const cpuShare = (after.cpuSeconds - before.cpuSeconds) / seconds;
      progress(
        `  ${Math.round(maxRate)} commands/s; backbone RSS ${Math.round(after.rssBytes / 2 ** 20)} MiB`,
      );

      const catchUpStart = performance.now();
      await readModelCaughtUp(databaseUrl.toString(), load);
      const readModelLagMs = performance.now() - catchUpStart;
      progress(`  read model caught up ${Math.round(readModelLagMs)} ms after the last outcome`);
      // Counted once the read model caught up, so that every event was published.
      const perCommand = recordsPerCommand(
        recordsBefore,
        await recordsOnTopics(kafka.brokers, names),
        SIZES.saturation,
      );
      const recordsEach = totalRecords(perCommand);
      progress(`  ${recordsEach.toFixed(2)} Kafka records written per command`);

      progress(`saturation again, one command in ${SENT_TWICE_EVERY} sent twice`);
      const retriedRate =
        SIZES.saturation /
        (await saturate(load, SIZES.saturation, { sentTwiceEvery: SENT_TWICE_EVERY }));
      progress(`  ${Math.round(retriedRate)} commands/s`);
      await readModelCaughtUp(databaseUrl.toString(), load);

      const latencies: [number, LatencySummary, LagSummary, LagSummary, LatencySummary, number][] =
        [];
      const baseUrl = `http://127.0.0.1:${port}`;
      const arrivals = await ReadModelArrivals.start(
        databaseUrl.toString(),
        ARRIVAL_POLL_MS,
        ARRIVAL_SAMPLE_EVERY,
      );
      load.onSent((referralId, sentAt) => arrivals.expect(referralId, sentAt));
      for (const share of LOADS) {
        progress(
          `latency at ${share * 100} % of the maximum (${Math.round(maxRate * share)} commands/s)`,
        );
        const lagOfPhase = await startLagPhase(baseUrl);
        const phaseStart = performance.now();
        const phaseTicks = cpuTicks();
        const latency = await paced(load, maxRate * share, SIZES.pacedSeconds);
        const steal = stealBetween(phaseTicks, cpuTicks());
        // Every event of the phase applied, so that the histogram holds all of them.
        await readModelCaughtUp(databaseUrl.toString(), load);
        const { whole: lag, afterProduce: consume } = await lagOfPhase();
        await arrivals.lookNow(); // every row of the phase is in: one look finds the last
        const readModel = summarise(arrivals.latenciesSince(phaseStart));
        progress(
          `  outcome p99 ${latency.p99.toFixed(0)} ms; read model p99 ${readModel.p99.toFixed(0)} ms; projection lag p50 ${lag.p50.toFixed(0)} / p99 ${lag.p99.toFixed(0)} ms; host steal ${steal.toFixed(1)} %`,
        );
        latencies.push([share, latency, lag, consume, readModel, steal]);
      }
      await arrivals.stop();
      const machine = await describeMachine(databaseUrl.toString());
      const report = [
        `\n## Pipeline, ${started.toISOString()}${quick ? ' (quick smoke run: sizes too small to judge by)' : ''}${cpuProfile ? ' (backbone under --cpu-prof)' : ''}\n`,
        `Machine: ${machine}. Everything co-located: Kafka broker, PostgreSQL, the backbone process and this load generator.\n`,
        '| figure | value |',
        '|---|---:|',
        `| Kafka ceiling (kafkajs produce acks=all → group consume, ${sample.length}-byte messages, batches of 100) | ${Math.round(kafkaRate)} msgs/s |`,
        `| PostgreSQL ceiling (single-row INSERT, 16 clients) | ${Math.round(pgRate)} tx/s |`,
        `| pipeline maximum (command topic → outcome, ${SIZES.saturation} commands) | ${Math.round(maxRate)} commands/s |`,
        `| pipeline maximum with one command in ${SENT_TWICE_EVERY} sent twice (agency retries; each copy answered from the command log) | ${Math.round(retriedRate)} commands/s |`,
        `| pipeline ÷ Kafka ceiling | ${((100 * maxRate) / kafkaRate).toFixed(1)} % |`,
        `| Kafka records written per command at saturation (the ceiling's unit is one record) | ${recordsEach.toFixed(2)}: ${describeRecords(perCommand)} |`,
        `| Kafka records written by the pipeline at its maximum ÷ Kafka ceiling | ${((100 * maxRate * recordsEach) / kafkaRate).toFixed(1)} % |`,
        `| pipeline ÷ PostgreSQL ceiling | ${((100 * maxRate) / pgRate).toFixed(1)} % |`,
        `| read model caught up after the last outcome | ${Math.round(readModelLagMs)} ms |`,
        `| backbone process RSS after saturation | ${Math.round(after.rssBytes / 2 ** 20)} MiB |`,
        `| backbone process CPU during saturation | ${(cpuShare * 100).toFixed(0)} % of one core |`,
        `| the host's CPU kept by the hypervisor (steal) during saturation, and during the ${LOADS.map((l) => `${l * 100} %`).join(', ')} phases | ${[saturationSteal, ...latencies.map((l) => l[5])].map((p) => `${p.toFixed(1)} %`).join(', ')} |`,
        ...latencies.map(
          ([share, l]) =>
            `| command → outcome latency at ${share * 100} % of max (${l.count} commands) | p50 ${l.p50.toFixed(0)} / p95 ${l.p95.toFixed(0)} / p99 ${l.p99.toFixed(0)} ms |`,
        ),
        ...latencies.map(
          ([share, , , , l]) =>
            `| command → read-model row at ${share * 100} % of max (${l.count} referrals, one in ${ARRIVAL_SAMPLE_EVERY}; seen by polling every ${ARRIVAL_POLL_MS} ms, so late by up to one poll) | p50 ${l.p50.toFixed(0)} / p95 ${l.p95.toFixed(0)} / p99 ${l.p99.toFixed(0)} ms |`,
        ),
        ...latencies.map(
          ([share, , lag, consume]) =>
            `| projection lag (event recorded in the store → read-model row committed) at ${share * 100} % of max (${lag.events} events) | p50 ${lag.p50.toFixed(0)} / p99 ${lag.p99.toFixed(0)} ms (after the publisher's produce: p50 ${consume.p50.toFixed(0)} / p99 ${consume.p99.toFixed(0)} ms) |`,
        ),
        '',
      ].join('\n');
      process.stdout.write(report);
      appendToResultsHistory(report, started);
    } finally {
      await load.stop();
      await backbone.stop();
    }
  } finally {
    await kafka.stop();
    await dropDatabase(databaseUrl.toString());
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
