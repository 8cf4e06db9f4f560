// `npm run bench:rebuild [-- --quick] [-- --cpu-prof] [-- --keep-database]`: rebuilds the read
// models from an event store holding 1,000,000 realistic events (BENCH_REBUILD_EVENTS to change
// it): referral lifecycles and cases decided by the domain as the sector service would, stored
// hash-chained as the store's append would store them, in a fresh database that is dropped at
// the end (kept with --keep-database, its URL printed, to run the rebuild against again). The
// rebuild runs as `npm run projections:rebuild` does, in its own process; its rate (events in
// the store ÷ wall time) and phases go to stdout and the month's file in bench/history/.
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { loadConfig, projectRoot } from '@backbone/config';
import { dropDatabase, ensureDatabase, migrate } from '@backbone/database';
import { PostgresEventStore } from '@backbone/event-store';
import type { RebuildSummary } from '../../apps/projector/src/rebuild/rebuild-read-model';
import { describeMachine } from '../bench-report';
import { appendToResultsHistory } from '../results-history';
import { loadCommits } from './bulk-store-loader';
import { referralHistories } from './referral-histories';

const quick = process.argv.includes('--quick');
const profile = process.argv.includes('--cpu-prof');
const keepDatabase = process.argv.includes('--keep-database');
const EVENTS = quick ? 20_000 : Number(process.env.BENCH_REBUILD_EVENTS ?? 1_000_000);
const VERIFIED_STREAMS = 25;

const progress = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};
const thousands = (n: number): string => Math.round(n).toLocaleString('en-US');

interface CliSummary extends RebuildSummary {
  seconds: number;
  cpuSeconds: number;
}

/** The rebuild CLI in a process of its own, its progress shown live on stderr. */
function runRebuild(databaseUrl: string): Promise<CliSummary> {
  // The compiled CLI beside the compiled bench, or the sources when run from them.
  const compiled = __filename.endsWith('.js');
  const cli = join(
    projectRoot(),
    compiled
      ? 'dist/apps/projector/src/rebuild/rebuild-cli.js'
      : 'apps/projector/src/rebuild/rebuild-cli.ts',
  );
  // As `npm run projections:rebuild` runs it: V8's parallel GC threads would only take the
  // second core from PostgreSQL, which is streaming the log meanwhile.
  const flags = [
    '--single-threaded-gc',
    ...(profile
      ? ['--cpu-prof', `--cpu-prof-dir=${join(projectRoot(), 'bench', 'profiles')}`]
      : []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, ...flags, cli, '--json'], {
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`projections:rebuild exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as CliSummary);
    });
  });
}

async function count(pool: Pool, sql: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(sql);
  return rows[0].n;
}

async function main(): Promise<void> {
  const started = new Date();
  const load = loadavg()[0];
  const url = new URL(loadConfig().databaseUrl);
  url.pathname = `/backbone_bench_rebuild_${Date.now()}`;
  const databaseUrl = url.toString();
  progress(`${quick ? 'quick' : 'full'} run: ${thousands(EVENTS)} events into a fresh database`);
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  try {
    const loading = Date.now();
    let reported = 0;
    const stored = await loadCommits(pool, referralHistories(EVENTS), {
      onProgress: (events) => {
        if (Date.now() - reported < 2_000) return;
        reported = Date.now();
        const rate = events / ((Date.now() - loading) / 1000);
        progress(`  stored ${thousands(events)} events (${thousands(rate)} events/s)`);
      },
    });
    const loadSeconds = (Date.now() - loading) / 1000;
    await pool.query('VACUUM ANALYZE events');
    await pool.query('VACUUM ANALYZE streams');

    // The rebuild must read what the store would hold: the hash chains verify.
    const store = new PostgresEventStore(pool, {});
    const { rows: sample } = await pool.query<{ stream_id: string }>(
      'SELECT stream_id FROM streams ORDER BY random() LIMIT $1',
      [VERIFIED_STREAMS],
    );
    for (const { stream_id } of sample) {
      const verification = await store.verifyStream(stream_id);
      if (!verification.valid)
        throw new Error(`stream ${stream_id} does not verify: ${verification.reason}`);
    }
    progress(`  ${sample.length} sampled streams verify; rebuilding`);

    const summary = await runRebuild(databaseUrl);
    const referrals = await count(
      pool,
      "SELECT count(*)::int AS n FROM streams WHERE category = 'referral'",
    );
    const cases = await count(
      pool,
      "SELECT count(*)::int AS n FROM streams WHERE category = 'case'",
    );
    const referralRows = await count(pool, 'SELECT count(*)::int AS n FROM referral_views');
    const caseRows = await count(pool, 'SELECT count(*)::int AS n FROM case_views');
    if (referralRows !== referrals || caseRows !== cases)
      throw new Error(
        `rebuilt ${referralRows} referral and ${caseRows} case rows for ${referrals} and ${cases} streams`,
      );
    const rate = stored / summary.seconds;
    progress(`  ${thousands(rate)} events/s`);

    const machine = await describeMachine(databaseUrl);
    const s = (ms: number) => (ms / 1000).toFixed(2);
    const report = [
      `\n## Projection rebuild, ${started.toISOString()}${quick ? ' (quick smoke run: sizes too small to judge by)' : ''}\n`,
      `Machine: ${machine}; load average ${load.toFixed(1)} when the run started (the machine is shared).\n`,
      '| figure | value |',
      '|---|---:|',
      `| events in the store (referral lifecycles and cases, hash-chained) | ${thousands(stored)} |`,
      `| streams | ${thousands(referrals)} referrals, ${thousands(cases)} cases |`,
      `| events of the rebuilt models' types read | ${thousands(summary.events)} |`,
      `| rows rebuilt | ${thousands(referralRows)} referral_views, ${thousands(caseRows)} case_views |`,
      `| rebuild wall time (\`projections:rebuild\`, both models, one pass) | ${summary.seconds.toFixed(2)} s |`,
      `| — reading the log and folding it | ${s(summary.readMs)} s |`,
      `| — writing the rows (COPY) and building indexes | ${s(summary.writeMs)} s |`,
      `| — catching up and swapping in, under lock | ${s(summary.swapMs)} s |`,
      `| rebuild process CPU | ${summary.cpuSeconds.toFixed(1)} s |`,
      `| **rebuild rate (events in the store ÷ wall time)** | **${thousands(rate)} events/s** |`,
      `| loading the store (generator, hash chain, COPY) | ${thousands(stored / loadSeconds)} events/s |`,
      '',
    ].join('\n');
    process.stdout.write(report);
    appendToResultsHistory(report, started);
  } finally {
    await pool.end();
    if (keepDatabase) progress(`kept the database: DATABASE_URL=${databaseUrl}`);
    else await dropDatabase(databaseUrl);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
