// `npm run bench:audit [-- --quick]` (and part of `npm run bench`): the audit API's histories
// over HTTP (a 200-event referral; one person across 50 referrals and their cases), each call
// recording its access as production does, and whole-store hash-chain verification, over a
// store filled with realistic interleaved histories. Appends its figures to the month's file in
// bench/history/.
import 'reflect-metadata';
import { loadavg } from 'node:os';
import { Pool } from 'pg';
import { loadConfig } from '@backbone/config';
import { PersonalDataSealer, SubjectKeys, masterKeyringFrom } from '@backbone/data-protection';
import { dropDatabase, ensureDatabase, migrate } from '@backbone/database';
import { DEMO_API_KEYS } from '@backbone/directory';
import { rootLogger } from '@backbone/observability';
import { PostgresEventStore } from '@backbone/event-store';
import { verifyWholeStore } from '../../apps/audit/src/verification/store-verification';
import { describeMachine } from '../bench-report';
import { appendToResultsHistory } from '../results-history';
import { LatencySummary, summarise } from '../pipeline/latency';
import { loadCommits } from '../projections/bulk-store-loader';
import { referralHistories } from '../projections/referral-histories';
import { startAuditApi } from './audit-bench-app';
import { AuditHistoryWriter } from './audit-histories';

const quick = process.argv.includes('--quick');
const SIZES = quick
  ? { background: 20_000, requests: 100, verifications: 1 }
  : { background: 1_000_000, requests: 1_000, verifications: 3 };
const LONG_REFERRAL_EVENTS = 200;
const PERSON_REFERRALS = 50;
const TARGETS = { referralP99Ms: 20, subjectP99Ms: 100, verifyEventsPerSecond: 50_000 };

const progress = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

/** Sequential GETs of `path`, after a warm-up; each answer read in full. */
async function latencies(url: string, apiKey: string, count: number): Promise<LatencySummary> {
  const get = async (): Promise<number> => {
    const started = performance.now();
    const response = await fetch(url, { headers: { authorization: `Bearer ${apiKey}` } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
    return performance.now() - started;
  };
  for (let i = 0; i < Math.min(50, count); i++) await get();
  const measured: number[] = [];
  for (let i = 0; i < count; i++) measured.push(await get());
  return summarise(measured);
}

/**
 * Writes out the pages the load dirtied, so that the measured requests do not share the disk
 * with the checkpointer flushing a million events (it spreads that over minutes): the figures
 * are then the audit API's own. Needs a role allowed to CHECKPOINT; without one, it goes on.
 */
async function flushLoadedPages(pool: Pool): Promise<void> {
  try {
    await pool.query('CHECKPOINT');
  } catch (error) {
    progress(`no CHECKPOINT before measuring (${(error as Error).message})`);
  }
}

/**
 * Collects the garbage that loading a million events left in this process's heap. The requests
 * are measured in this same process, and with half a gigabyte of the loader's dead objects in
 * the old generation each young-generation collection took about 10 ms, one every 100 ms: about
 * one request in eight paid for it (measured: referral history p95 23.8 ms, 11.3 ms after this).
 * A service has no such heap. Needs `--expose-gc` (the npm scripts give it); without, it goes on.
 */
function collectLoadersGarbage(): boolean {
  if (typeof global.gc !== 'function') {
    progress('no full collection before measuring (run with --expose-gc)');
    return false;
  }
  global.gc();
  return true;
}

const ms = (l: LatencySummary) =>
  `p50 ${l.p50.toFixed(1)} / p95 ${l.p95.toFixed(1)} / p99 ${l.p99.toFixed(1)} ms`;
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');

async function main(): Promise<void> {
  rootLogger.level = 'warn'; // Nest's start-up lines would bury the figures
  const started = new Date();
  const databaseUrl = new URL(loadConfig().databaseUrl);
  databaseUrl.pathname = `/backbone_bench_audit_${Date.now()}`;
  const config = { ...loadConfig(), databaseUrl: databaseUrl.toString(), logLevel: 'warn' };
  await ensureDatabase(config.databaseUrl);
  await migrate(config.databaseUrl);
  const pool = new Pool({ connectionString: config.databaseUrl, max: 4 });
  try {
    progress(
      `${quick ? 'quick' : 'full'} run: loading ${SIZES.background} events of interleaved histories`,
    );
    const loaded = await loadCommits(pool, referralHistories(SIZES.background), {
      onProgress: (events) => void progress(`  ${events} events loaded`),
    });
    await pool.query('VACUUM ANALYZE events');

    progress('appending the audited histories (sealed personal data)');
    const store = new PostgresEventStore(pool);
    const sealer = new PersonalDataSealer(new SubjectKeys(pool, masterKeyringFrom(config)));
    const writer = new AuditHistoryWriter(store, sealer);
    const longSubject = `subj-bench-long-${Date.now()}`;
    const person = `subj-bench-person-${Date.now()}`;
    const referralId = await writer.longReferral(longSubject, LONG_REFERRAL_EVENTS);
    await writer.personWithReferrals(person, PERSON_REFERRALS);
    await flushLoadedPages(pool);
    const collected = collectLoadersGarbage();

    const app = await startAuditApi(config);
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const key = DEMO_API_KEYS['demo-audit-office'];
    const purpose = 'purpose=Benchmark+of+the+audit+API';
    let floor: LatencySummary;
    let referral: LatencySummary;
    let subject: LatencySummary;
    let personEvents: number;
    let historiesLoad: number;
    try {
      // What the machine allows: a GET that reads nothing, through the same stack.
      floor = await latencies(`${base}/v1/signing-keys`, key, SIZES.requests);
      progress(`noise floor (GET /v1/signing-keys): ${ms(floor)}`);
      progress(`history of a ${LONG_REFERRAL_EVENTS}-event referral, ${SIZES.requests} requests`);
      referral = await latencies(
        `${base}/v1/audit/referrals/${referralId}/history?${purpose}`,
        key,
        SIZES.requests,
      );
      progress(`  ${ms(referral)}`);
      progress(
        `history of a person across ${PERSON_REFERRALS} referrals, ${SIZES.requests} requests`,
      );
      const subjectUrl = `${base}/v1/audit/subjects/${person}/history?${purpose}`;
      personEvents = (
        (await (
          await fetch(subjectUrl, { headers: { authorization: `Bearer ${key}` } })
        ).json()) as { entries: unknown[] }
      ).entries.length;
      subject = await latencies(subjectUrl, key, SIZES.requests);
      progress(`  ${personEvents} events; ${ms(subject)}`);
      historiesLoad = loadavg()[0];
    } finally {
      await app.close();
    }

    progress(`whole-store verification, best of ${SIZES.verifications}`);
    let best = { events: 0, seconds: Infinity, streams: 0, broken: 0 };
    for (let round = 0; round < SIZES.verifications; round++) {
      const report = await verifyWholeStore(pool);
      const seconds = report.elapsedMs / 1000;
      progress(
        `  ${report.events} events in ${seconds.toFixed(2)} s (${Math.round(report.events / seconds)} events/s)`,
      );
      if (report.events / seconds > best.events / best.seconds) {
        best = {
          events: report.events,
          seconds,
          streams: report.streams,
          broken: report.broken.length,
        };
      }
    }
    const rate = Math.round(best.events / best.seconds);
    if (best.broken) throw new Error(`${best.broken} streams failed verification in a clean store`);

    const machine = await describeMachine(config.databaseUrl);
    const report = [
      `\n## Audit, ${started.toISOString()}${quick ? ' (quick smoke run: sizes too small to judge by)' : ''}\n`,
      `Machine: ${machine}; 1-minute load average after the history requests ${historiesLoad.toFixed(1)}`,
      `(the machine is shared: latency percentiles move with it).`,
      `The audit API over HTTP in this process (no Kafka), sequential requests,`,
      `each recording its \`audit.accessed.v1\` as in production, after a CHECKPOINT that writes out what loading dirtied${collected ? ' and a full garbage collection of what loading left in this process' : ' (no garbage collection of what loading left in this process: see the code)'}; the store holds ${loaded.toLocaleString('en-US')} events`,
      `of interleaved generated histories besides the audited ones. Targets from issue 9.\n`,
      '| figure | value | target |',
      '|---|---:|---|',
      `| noise floor: \`GET /v1/signing-keys\`, which reads nothing (${floor.count} requests) | ${ms(floor)} | – |`,
      `| history of a ${LONG_REFERRAL_EVENTS}-event referral (${referral.count} requests) | ${ms(referral)} | p99 ≤ ${TARGETS.referralP99Ms} ms: ${verdict(referral.p99 <= TARGETS.referralP99Ms)} |`,
      `| history of a person across ${PERSON_REFERRALS} referrals and cases, ${personEvents} events (${subject.count} requests) | ${ms(subject)} | p99 ≤ ${TARGETS.subjectP99Ms} ms: ${verdict(subject.p99 <= TARGETS.subjectP99Ms)} |`,
      `| whole-store verification, ${best.events.toLocaleString('en-US')} events in ${best.streams.toLocaleString('en-US')} streams (best of ${SIZES.verifications}) | ${rate.toLocaleString('en-US')} events/s | ≥ ${TARGETS.verifyEventsPerSecond.toLocaleString('en-US')}: ${verdict(rate >= TARGETS.verifyEventsPerSecond)} |`,
      '',
    ].join('\n');
    process.stdout.write(report);
    appendToResultsHistory(report, started);
  } finally {
    await pool.end();
    await dropDatabase(config.databaseUrl);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
