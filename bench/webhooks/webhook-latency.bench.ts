// `npm run bench:webhooks [-- --quick]`: latency from a command's acceptance to its event's
// webhook at the receiving agency, at half the pipeline's maximum rate. The all-in-one backbone
// runs as `npm run start:backbone` does, on a Kafka broker of its own; one loopback receiver
// verifies every delivery with the standardwebhooks library. The maximum is measured in the
// same run (saturation, as bench:pipeline does), with the webhooks on.
import 'reflect-metadata';
import { IncomingMessage, ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { loadConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { dropDatabase, ensureDatabase, migrate } from '@backbone/database';
import { DEMO_API_KEYS } from '@backbone/directory';
import { startLocalKafka } from '../../infra/kafka/local-kafka-broker';
import { findFreePort } from '../../infra/dev-stack/free-port';
import { describeMachine } from '../bench-report';
import { appendToResultsHistory } from '../results-history';
import { AgencyLoad } from '../pipeline/agency-load';
import { startBackboneProcess } from '../pipeline/backbone-process';
import { LatencySummary, summarise } from '../pipeline/latency';
import { paced, saturate } from '../pipeline/paced-load';

const quick = process.argv.includes('--quick');
const SIZES = quick
  ? { saturation: 300, pacedSeconds: 3 }
  : { saturation: 5_000, pacedSeconds: 30 };
/** The receiving agencies of bench/pipeline's sender → receiver pairs. */
const RECEIVERS = [
  'randers-social',
  'redbridge-adult-social-care',
  'redbridge-debt-advice',
  'redbridge-drug-rehab',
];

const progress = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

interface Arrival {
  /** performance.now() when the delivery was taken in. */
  at: number;
  /** Wall-clock ms from the event's recording (the command's acceptance) to its arrival. */
  sinceAcceptedMs: number;
}

/** The receiving agencies' endpoint: verifies each delivery, notes its referral's first arrival. */
async function startReceiver(secrets: Map<string, string>) {
  const arrivals = new Map<string, Arrival>();
  let unverified = 0;
  let duplicates = 0;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = performance.now();
      const now = Date.now();
      const body = Buffer.concat(chunks).toString('utf8');
      const agency = (request.url ?? '').slice(1);
      try {
        const event = new Webhook(secrets.get(agency) ?? '').verify(body, {
          'webhook-id': String(request.headers['webhook-id']),
          'webhook-timestamp': String(request.headers['webhook-timestamp']),
          'webhook-signature': String(request.headers['webhook-signature']),
        }) as { subject: string; time: string };
        if (arrivals.has(event.subject)) duplicates++;
        else arrivals.set(event.subject, { at, sinceAcceptedMs: now - Date.parse(event.time) });
      } catch {
        unverified++;
      }
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (agency: string) => `http://127.0.0.1:${port}/${agency}`,
    arrivals,
    counts: () => ({ unverified, duplicates }),
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function main(): Promise<void> {
  const started = new Date();
  progress(`${quick ? 'quick' : 'full'} run; starting a Kafka broker`);
  const kafka = await startLocalKafka();
  const databaseUrl = new URL(loadConfig().databaseUrl);
  databaseUrl.pathname = `/backbone_bench_webhooks_${Date.now()}`;
  await ensureDatabase(databaseUrl.toString());
  await migrate(databaseUrl.toString());
  const secrets = new Map<string, string>();
  const receiver = await startReceiver(secrets);
  try {
    const port = await findFreePort();
    progress('starting the all-in-one backbone process');
    const backbone = await startBackboneProcess({
      KAFKA_BROKERS: kafka.brokers.join(','),
      DATABASE_URL: databaseUrl.toString(),
      PORT: String(port),
    });
    const base = `http://127.0.0.1:${port}`;
    for (const agency of RECEIVERS) {
      const response = await fetch(`${base}/v1/agencies/${agency}/webhooks`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${DEMO_API_KEYS[agency]}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ url: receiver.url(agency), types: ['referral.made.v1'] }),
      });
      if (response.status !== 201) throw new Error(`subscribing ${agency}: ${response.status}`);
      secrets.set(agency, ((await response.json()) as { secret: string }).secret);
    }
    const load = await AgencyLoad.start(kafka.brokers, new TopicNames(''));
    const sentAt = new Map<string, number>();
    load.onSent((referralId, at) => sentAt.set(referralId, at));
    const allArrived = async (timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (receiver.arrivals.size < sentAt.size) {
        if (Date.now() > deadline)
          throw new Error(`${sentAt.size - receiver.arrivals.size} webhooks missing`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await load.send(100);
      await load.drained(60_000);
      await allArrived(60_000); // warm-up

      progress(`saturation: ${SIZES.saturation} commands as fast as they are taken`);
      const seconds = await saturate(load, SIZES.saturation);
      const maxRate = SIZES.saturation / seconds;
      await allArrived(120_000);
      progress(`  ${Math.round(maxRate)} commands/s`);

      const rate = maxRate / 2;
      progress(`half the maximum: ${Math.round(rate)} commands/s for ${SIZES.pacedSeconds} s`);
      const since = performance.now();
      const outcome = await paced(load, rate, SIZES.pacedSeconds);
      await allArrived(120_000);
      const phase = [...sentAt].filter(([, at]) => at >= since);
      const accepted: LatencySummary = summarise(
        phase.map(([referral]) => receiver.arrivals.get(referral)!.sinceAcceptedMs),
      );
      const sent: LatencySummary = summarise(
        phase.map(([referral, at]) => receiver.arrivals.get(referral)!.at - at),
      );
      const { unverified, duplicates } = receiver.counts();
      progress(`  accepted → webhook p50 ${accepted.p50} / p99 ${accepted.p99} ms`);
      const machine = await describeMachine(databaseUrl.toString());
      const report = [
        `\n## Webhooks, ${started.toISOString()}${quick ? ' (quick smoke run: sizes too small to judge by)' : ''}\n`,
        `Machine: ${machine}. Everything co-located: Kafka broker, PostgreSQL, the backbone process, this load generator and the webhook receiver (loopback, verifying each signature with standardwebhooks).\n`,
        '| figure | value |',
        '|---|---:|',
        `| pipeline maximum with webhooks on (command topic → outcome, ${SIZES.saturation} commands; each referral.made.v1 pushed to the receiving agency) | ${Math.round(maxRate)} commands/s |`,
        `| command accepted (event recorded in the store) → webhook received, at half the maximum (${accepted.count} referrals, ${Math.round(rate)}/s) | p50 ${accepted.p50.toFixed(0)} / p95 ${accepted.p95.toFixed(0)} / p99 ${accepted.p99.toFixed(0)} ms |`,
        `| command sent to its Kafka topic → webhook received, same phase | p50 ${sent.p50.toFixed(0)} / p95 ${sent.p95.toFixed(0)} / p99 ${sent.p99.toFixed(0)} ms |`,
        `| command → outcome, same phase | p50 ${outcome.p50.toFixed(0)} / p95 ${outcome.p95.toFixed(0)} / p99 ${outcome.p99.toFixed(0)} ms |`,
        `| deliveries that failed verification; referrals delivered more than once | ${unverified}; ${duplicates} |`,
        '',
      ].join('\n');
      process.stdout.write(report);
      appendToResultsHistory(report, started);
    } finally {
      await load.stop();
      await backbone.stop();
    }
  } finally {
    await receiver.stop();
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
