// `npm run bench:insights [-- --quick]` (and part of `npm run bench`): the cooperation flows
// query (issue 24, item 8: a year of 1M referrals answered in under 200 ms p99) over a year of
// generated referral facts, called directly and over HTTP as each demo director, with the plans
// of its statements and what scratch copies of them would gain. Appends its figures to the
// month's file in bench/history/.
import 'reflect-metadata';
import { loadavg } from 'node:os';
import { Pool } from 'pg';
import { loadConfig } from '@backbone/config';
import { dropDatabase, ensureDatabase, migrate } from '@backbone/database';
import { DEMO_API_KEYS, Directory } from '@backbone/directory';
import { rootLogger } from '@backbone/observability';
import {
  CooperationFlowsQueries,
  FlowsQuery,
} from '../../apps/projector/src/queries/cooperation-flows.queries';
import { describeMachine } from '../bench-report';
import { LatencySummary, summarise } from '../pipeline/latency';
import { appendToResultsHistory } from '../results-history';
import { anchoredChains, indexedChains, monthlyFigures } from './flows-alternatives';
import { explained, flowsStatements } from './flows-statements';
import { flowsReport, Scope } from './flows-report';
import { loadFacts } from './facts-loader';
import { AGENCIES, referralFactLines } from './referral-facts-year';
import { startInsightsApi } from './insights-bench-app';

const quick = process.argv.includes('--quick');
const SIZES = quick
  ? { facts: 20_000, iterations: 20, variantIterations: 5, budgetMs: 20_000 }
  : { facts: 1_000_000, iterations: 100, variantIterations: 20, budgetMs: 100_000 };
const WARM_UP = 3;
const TARGET_P99_MS = 200;
const DIRECTORS = ['demo-randers-director', 'demo-redbridge-director'];

const progress = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

/**
 * Sequential calls of `run` after a warm-up: `count` of them, or as many as fit in `budgetMs`
 * (at several seconds a call a hundred would take the better part of an hour).
 */
async function sampled(
  run: () => Promise<unknown>,
  count: number,
  budgetMs = SIZES.budgetMs,
): Promise<LatencySummary> {
  for (let i = 0; i < WARM_UP; i++) await run();
  const measured: number[] = [];
  const until = performance.now() + budgetMs;
  while (measured.length < count && (measured.length < 5 || performance.now() < until)) {
    const started = performance.now();
    await run();
    measured.push(performance.now() - started);
  }
  return summarise(measured);
}

/** The year before the present month, in whole months (UTC). */
function lastYear(now: Date): { start: Date; end: Date; from: string; to: string } {
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const start = new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), 1));
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const month = (date: Date) => date.toISOString().slice(0, 7);
  return { start, end, from: month(start), to: month(last) };
}

async function flushLoadedPages(pool: Pool): Promise<void> {
  try {
    await pool.query('CHECKPOINT');
  } catch (error) {
    progress(`no CHECKPOINT before measuring (${(error as Error).message})`);
  }
}

async function main(): Promise<void> {
  rootLogger.level = 'warn';
  const started = new Date();
  const loadAtStart = loadavg()[0];
  const databaseUrl = new URL(loadConfig().databaseUrl);
  databaseUrl.pathname = `/backbone_bench_insights_${Date.now()}`;
  const config = { ...loadConfig(), databaseUrl: databaseUrl.toString(), logLevel: 'warn' };
  await ensureDatabase(config.databaseUrl);
  await migrate(config.databaseUrl);
  // As the services' pool: PostgreSQL's JIT off (see DatabaseModule).
  const pool = new Pool({ connectionString: config.databaseUrl, max: 4, options: '-c jit=off' });
  try {
    const year = lastYear(started);
    progress(`${quick ? 'quick' : 'full'} run: loading ${SIZES.facts} referral facts`);
    const loadStarted = performance.now();
    const facts = await loadFacts(
      pool,
      referralFactLines(SIZES.facts, { start: year.start, end: year.end, now: started }),
      { onProgress: (rows) => void (rows % 200_000 === 0 && progress(`  ${rows} rows`)) },
    );
    await pool.query('VACUUM ANALYZE referral_facts');
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    await flushLoadedPages(pool);

    const app = await startInsightsApi(config);
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const queries = app.get(CooperationFlowsQueries);
    const directory = app.get(Directory);
    const scopes: Scope[] = [];
    try {
      for (const director of DIRECTORS) {
        const query: FlowsQuery = {
          agencies: directory.agenciesOfDirector(director),
          fromMonth: year.from,
          toMonth: year.to,
        };
        const inScope = await pool.query<{ n: string }>(
          `SELECT count(*) AS n FROM referral_facts
           WHERE from_agency = ANY($1::text[]) OR to_agency = ANY($1::text[])`,
          [query.agencies],
        );
        progress(`${director}: flows + chains directly, up to ${SIZES.iterations} calls`);
        const parts = { flows: [] as number[], chains: [] as number[] };
        let groups = 0;
        const direct = await sampled(async () => {
          const flowsStarted = performance.now();
          groups = (await queries.flows(query)).length;
          const chainsStarted = performance.now();
          await queries.redirectChains(query);
          parts.flows.push(chainsStarted - flowsStarted);
          parts.chains.push(performance.now() - chainsStarted);
        }, SIZES.iterations);
        // The parts of the measured calls only, not of the warm-up.
        const measuredParts = (values: number[]) => summarise(values.slice(WARM_UP));
        progress(`  ${direct.count} calls, p99 ${direct.p99.toFixed(0)} ms`);
        progress(`${director}: GET /v1/insights/flows, up to ${SIZES.iterations} requests`);
        const url = `${base}/v1/insights/flows?from=${year.from}&to=${year.to}`;
        const http = await sampled(async () => {
          const response = await fetch(url, {
            headers: { authorization: `Bearer ${DEMO_API_KEYS[director]}` },
          });
          await response.arrayBuffer();
          if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
        }, SIZES.iterations);
        progress(`  ${http.count} requests, p99 ${http.p99.toFixed(0)} ms`);
        scopes.push({
          director,
          agencies: query.agencies,
          rowsInScope: Number(inScope.rows[0].n),
          groups,
          direct,
          flows: measuredParts(parts.flows),
          chains: measuredParts(parts.chains),
          http,
          query,
        });
      }
    } finally {
      await app.close();
    }
    const loadAfterMeasuring = loadavg()[0];

    const sizes = await pool.query<{ name: string; bytes: string }>(
      `SELECT c.relname AS name, pg_relation_size(c.oid) AS bytes
       FROM pg_class c WHERE c.oid = 'referral_facts'::regclass
         OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'referral_facts'::regclass)
       ORDER BY c.relkind DESC, c.relname`,
    );

    // Findings on the largest scope: the plans as run, then scratch copies of the SQL.
    const largest = scopes.reduce((a, b) => (b.rowsInScope > a.rowsInScope ? b : a));
    progress(`EXPLAIN ANALYZE of the statements for ${largest.director}`);
    const statements = await flowsStatements(largest.query);
    const plans: { name: string; plan: string }[] = [];
    for (const statement of statements) {
      plans.push({ name: statement.name, plan: await explained(pool, statement) });
    }
    const byName = (list: typeof statements, name: string) => list.find((s) => s.name === name)!;
    const sampleVariant = (run: () => Promise<unknown>) =>
      sampled(run, SIZES.variantIterations, SIZES.budgetMs / 2);
    progress('scratch: chains seeded with redirected referrals only');
    const anchored = await anchoredChains(pool, byName(statements, 'chains'), sampleVariant);
    progress('scratch: the same, with two covering indexes for it');
    const indexed = await indexedChains(pool, byName(statements, 'chains'), sampleVariant);
    progress('scratch: the figures per month and pair in tables of their own');
    const everyAgency = await flowsStatements({
      ...largest.query,
      agencies: AGENCIES.map((agency) => agency.id),
    });
    const monthly = await monthlyFigures(
      pool,
      { flows: byName(everyAgency, 'flows'), codes: byName(everyAgency, 'codes') },
      { flows: byName(statements, 'flows'), chains: byName(statements, 'chains') },
      sampleVariant,
    );

    const report = flowsReport({
      started,
      quick,
      machine: await describeMachine(config.databaseUrl),
      load: { atStart: loadAtStart, afterMeasuring: loadAfterMeasuring },
      facts,
      loadSeconds,
      year,
      scopes,
      sizes: sizes.rows.map((row) => ({ name: row.name, bytes: Number(row.bytes) })),
      largest: largest.director,
      plans,
      anchored,
      indexed,
      monthly,
      targetP99Ms: TARGET_P99_MS,
      warmUp: WARM_UP,
    });
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
