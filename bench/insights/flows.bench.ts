// `npm run bench:insights [-- --quick]` (and part of `npm run bench`): the cooperation flows
// query (issue 24, item 8: a year of 1M referrals answered in under 200 ms p99) over a year of
// generated referral and handover facts, the flows beside them built as a rebuild builds them,
// called directly and over HTTP as each demo director, with the plans of its statements, and
// what keeping the flows costs the projector's writes. Appends its figures to the month's file
// in bench/history/.
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
import { HandoverFlowsQueries } from '../../apps/projector/src/queries/handover-flows.queries';
import { READ_MODELS } from '../../apps/projector/src/engine/read-models';
import { describeMachine } from '../bench-report';
import { LatencySummary, summarise } from '../pipeline/latency';
import { appendToResultsHistory } from '../results-history';
import { COPY_INTO, loadFacts } from './facts-loader';
import { explained, flowsStatements } from './flows-statements';
import { flowsReport, Scope } from './flows-report';
import { writeCosts } from './flows-write-cost';
import { handoverFactLines } from './handover-facts-year';
import { referralFactLines } from './referral-facts-year';
import { startInsightsApi } from './insights-bench-app';

const quick = process.argv.includes('--quick');
const SIZES = quick
  ? {
      facts: 20_000,
      handovers: 2_000,
      iterations: 20,
      budgetMs: 20_000,
      writes: [
        { group: 1, rounds: 10 },
        { group: 20, rounds: 5 },
      ],
    }
  : {
      facts: 1_000_000,
      handovers: 100_000,
      iterations: 100,
      budgetMs: 100_000,
      writes: [
        { group: 1, rounds: 100 },
        { group: 20, rounds: 50 },
        { group: 100, rounds: 20 },
      ],
    };
const WARM_UP = 3;
const TARGET_P99_MS = 200;
const DIRECTORS = ['demo-randers-director', 'demo-redbridge-director'];
/** The tables the route reads, and what a rebuild builds beside the facts. */
const TABLES = ['referral_facts', 'referral_flows', 'handover_facts', 'handover_flows'];

const progress = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

/**
 * Sequential calls of `run` after a warm-up: `count` of them, or as many as fit in `budgetMs`
 * (should a call take seconds, a hundred would take the better part of an hour).
 */
async function sampled(run: () => Promise<unknown>, count: number): Promise<LatencySummary> {
  for (let i = 0; i < WARM_UP; i++) await run();
  const measured: number[] = [];
  const until = performance.now() + SIZES.budgetMs;
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

/**
 * The flows beside the loaded facts, built as a rebuild builds its shadow tables (COPY passes
 * no statement that keeps them): emptied, then filled from the facts. Returns milliseconds.
 */
async function buildFlows(pool: Pool): Promise<number> {
  const started = performance.now();
  for (const model of [READ_MODELS['referral-facts'], READ_MODELS['handover-facts']]) {
    const { summary, projection } = model;
    if (!summary || !projection.summary) throw new Error(`${model.name} keeps no flows`);
    await pool.query(`TRUNCATE ${summary.table}`);
    await pool.query(projection.summary.fill(model.table, summary.table));
  }
  return performance.now() - started;
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
    const facts = { start: year.start, end: year.end, now: started };
    progress(`${quick ? 'quick' : 'full'} run: loading ${SIZES.facts} referral facts`);
    const loadStarted = performance.now();
    const referrals = await loadFacts(
      pool,
      COPY_INTO.referralFacts,
      referralFactLines(SIZES.facts, facts),
      { onProgress: (rows) => void (rows % 200_000 === 0 && progress(`  ${rows} rows`)) },
    );
    const handovers = await loadFacts(
      pool,
      COPY_INTO.handoverFacts,
      handoverFactLines(SIZES.handovers, facts),
    );
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    progress('building the flows beside the facts, as a rebuild does');
    const buildMs = await buildFlows(pool);
    for (const table of TABLES) await pool.query(`VACUUM ANALYZE ${table}`);
    const flowRows = await pool.query<{ referrals: number; handovers: number }>(
      `SELECT (SELECT count(*) FROM referral_flows)::int AS referrals,
              (SELECT count(*) FROM handover_flows)::int AS handovers`,
    );
    await flushLoadedPages(pool);

    const app = await startInsightsApi(config);
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const queries = app.get(CooperationFlowsQueries);
    const handoverQueries = app.get(HandoverFlowsQueries);
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
        progress(`${director}: the route's queries directly, up to ${SIZES.iterations} calls`);
        const parts = { flows: [] as number[], chains: [] as number[], handovers: [] as number[] };
        let groups = 0;
        // Side by side, as the route runs them; each part timed to its own answer.
        const direct = await sampled(async () => {
          const started = performance.now();
          const timed = async <T>(part: number[], answer: Promise<T>): Promise<T> => {
            const value = await answer;
            part.push(performance.now() - started);
            return value;
          };
          const [flows] = await Promise.all([
            timed(parts.flows, queries.flows(query)),
            timed(parts.chains, queries.redirectChains(query)),
            timed(parts.handovers, handoverQueries.flows(query)),
          ]);
          groups = flows.length;
        }, SIZES.iterations);
        // The parts of the measured calls only, not of the warm-up.
        const measuredParts = (values: number[]) => summarise(values.slice(WARM_UP));
        progress(`  ${direct.count} calls, p99 ${direct.p99.toFixed(0)} ms`);
        progress(`${director}: GET /v1/insights/flows, up to ${SIZES.iterations} requests`);
        const url = `${base}/v1/insights/flows?from=${year.from}&to=${year.to}`;
        const requested = async (asked: string) => {
          let bytes = 0;
          const latency = await sampled(async () => {
            const response = await fetch(asked, {
              headers: { authorization: `Bearer ${DEMO_API_KEYS[director]}` },
            });
            bytes = (await response.arrayBuffer()).byteLength;
            if (response.status !== 200) throw new Error(`${asked}: ${response.status}`);
          }, SIZES.iterations);
          return { ...latency, bytes };
        };
        const http = await requested(url);
        progress(`  ${http.count} requests, p99 ${http.p99.toFixed(0)} ms`);
        progress(`${director}: the directors' page's request (fields=totals)`);
        const pageHttp = await requested(`${url}&fields=totals`);
        progress(`  ${pageHttp.count} requests, p99 ${pageHttp.p99.toFixed(0)} ms`);
        scopes.push({
          director,
          agencies: query.agencies,
          rowsInScope: Number(inScope.rows[0].n),
          groups,
          direct,
          flows: measuredParts(parts.flows),
          chains: measuredParts(parts.chains),
          handovers: measuredParts(parts.handovers),
          http,
          pageHttp,
          query,
        });
      }
    } finally {
      await app.close();
    }
    const loadAfterMeasuring = loadavg()[0];

    const sizes = await pool.query<{ name: string; bytes: string }>(
      `SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes
       FROM pg_class c WHERE c.oid = ANY ($1::regclass[])
       ORDER BY c.relname`,
      [TABLES],
    );

    // Findings on the largest scope: the plans as run, then what keeping the flows costs.
    const largest = scopes.reduce((a, b) => (b.rowsInScope > a.rowsInScope ? b : a));
    progress(`EXPLAIN ANALYZE of the statements for ${largest.director}`);
    const plans: { name: string; plan: string }[] = [];
    for (const statement of await flowsStatements(largest.query)) {
      plans.push({ name: statement.name, plan: await explained(pool, statement) });
    }
    progress('the facts upsert with and without the flows (this changes the data)');
    const writes = await writeCosts(pool, `${year.to}-01T00:00:00Z`, SIZES.writes);

    const report = flowsReport({
      started,
      quick,
      machine: await describeMachine(config.databaseUrl),
      load: { atStart: loadAtStart, afterMeasuring: loadAfterMeasuring },
      facts: referrals,
      handovers,
      loadSeconds,
      build: { ms: buildMs, ...flowRows.rows[0] },
      year,
      scopes,
      sizes: sizes.rows.map((row) => ({ name: row.name, bytes: Number(row.bytes) })),
      largest: largest.director,
      plans,
      writes,
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
