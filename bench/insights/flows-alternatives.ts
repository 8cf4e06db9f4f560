// What would make the flows query meet its target, tried on scratch copies of its SQL in the
// benchmark's own database (the app is not changed): chains that start only from redirected
// referrals (and indexed for that), and the per-month figures kept in tables of their own.
import type { Pool } from 'pg';
import type { LatencySummary } from '../pipeline/latency';
import { Statement, explained, rewritten } from './flows-statements';

/** Times `run` repeatedly (after a warm-up), as the benchmark does for the app's own calls. */
export type Sampler = (run: () => Promise<unknown>) => Promise<LatencySummary>;

const ANCHOR = 'WHERE redirected_from IS NULL AND';
const ANCHORED = "WHERE redirected_from IS NULL AND decision = 'redirected' AND";

export interface AnchoredChains {
  /** The same months and counts as the app's statement gives. */
  sameAnswer: boolean;
  latency: LatencySummary;
}

/**
 * The chains statement seeded with the referrals that were redirected instead of every referral
 * in scope. A chain with no redirect is counted in neither column, and only a redirected
 * referral is followed by one made with `redirected_from` (the redirect makes it), so the
 * answer is the same: the benchmark checks that it is.
 */
export async function anchoredChains(
  pool: Pool,
  chains: Statement,
  sample: Sampler,
): Promise<AnchoredChains> {
  const anchored = rewritten(chains, ANCHOR, ANCHORED);
  const answer = async (statement: Statement) =>
    JSON.stringify((await pool.query(statement.text, statement.values)).rows);
  const sameAnswer = (await answer(chains)) === (await answer(anchored));
  return { sameAnswer, latency: await sample(() => pool.query(anchored.text, anchored.values)) };
}

// What the seeded chains statement reads, in indexes it can answer from alone: the redirected
// referrals that start a chain, and the links from a referral to the one that continued it.
const CHAIN_INDEXES = [
  `CREATE INDEX bench_referral_facts_chain_roots ON referral_facts (made_at)
     INCLUDE (from_agency, to_agency, referral_id)
     WHERE decision = 'redirected' AND redirected_from IS NULL`,
  `CREATE INDEX bench_referral_facts_chain_links ON referral_facts (redirected_from)
     INCLUDE (referral_id) WHERE redirected_from IS NOT NULL`,
];

export interface IndexedChains extends AnchoredChains {
  /** What the two indexes take on disk. */
  indexBytes: number;
  plan: string;
}

/** The seeded chains statement again, with two small covering indexes for it. */
export async function indexedChains(
  pool: Pool,
  chains: Statement,
  sample: Sampler,
): Promise<IndexedChains> {
  for (const index of CHAIN_INDEXES) await pool.query(index);
  await pool.query('VACUUM ANALYZE referral_facts');
  const { rows } = await pool.query<{ bytes: string }>(
    `SELECT sum(pg_relation_size(oid)) AS bytes FROM pg_class
     WHERE relname IN ('bench_referral_facts_chain_roots', 'bench_referral_facts_chain_links')`,
  );
  const seeded = await anchoredChains(pool, chains, sample);
  const anchored = rewritten(chains, ANCHOR, ANCHORED);
  return {
    ...seeded,
    indexBytes: Number(rows[0].bytes),
    plan: await explained(pool, anchored),
  };
}

export interface MonthlyFigures {
  /** Building both tables over the whole year for every agency: what one full refresh costs. */
  buildMs: number;
  rows: number;
  /** As many agency pairs and months as the app's statement gives for the scope. */
  sameGroups: boolean;
  /** The scope's figures from the tables, the overdue count live, chains seeded and indexed. */
  latency: LatencySummary;
}

// Read back for a scope as the app's statements select from referral_facts.
const SCOPE = `month BETWEEN $2::text AND $3::text
  AND (from_agency = ANY($1::text[]) OR to_agency = ANY($1::text[]))`;
// The one figure that moves with the clock: counted live from the few undecided referrals.
const UNDECIDED_INDEX = `CREATE INDEX bench_referral_facts_undecided ON referral_facts (made_at)
  WHERE decided_at IS NULL AND status IN ('requested', 'received')`;
const OVERDUE = `
  SELECT to_char(made_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, from_agency, to_agency,
    count(*)::int AS undecided_overdue
  FROM referral_facts
  WHERE decided_at IS NULL AND status IN ('requested', 'received') AND decision_due_by < $4
    AND made_at >= ($2::text || '-01T00:00:00Z')::timestamptz
    AND made_at < ($3::text || '-01T00:00:00Z')::timestamptz + interval '1 month'
    AND (from_agency = ANY($1::text[]) OR to_agency = ANY($1::text[]))
  GROUP BY 1, 2, 3`;

/**
 * The figures per month and pair of agencies are exactly what the flows and codes statements
 * group by, so a table of them, kept per month and pair, answers any scope and range of months
 * by reading a few thousand rows. Built here with the app's own statements over every agency.
 */
export async function monthlyFigures(
  pool: Pool,
  everyAgency: { flows: Statement; codes: Statement },
  scope: { flows: Statement; chains: Statement },
  sample: Sampler,
): Promise<MonthlyFigures> {
  const started = performance.now();
  await pool.query(
    `CREATE TABLE bench_flow_months AS ${everyAgency.flows.text}`,
    everyAgency.flows.values,
  );
  await pool.query(
    `CREATE TABLE bench_code_months AS ${everyAgency.codes.text}`,
    everyAgency.codes.values,
  );
  const buildMs = performance.now() - started;
  for (const table of ['bench_flow_months', 'bench_code_months']) {
    await pool.query(`CREATE INDEX ON ${table} (from_agency, month)`);
    await pool.query(`CREATE INDEX ON ${table} (to_agency, month)`);
    await pool.query(`ANALYZE ${table}`);
  }
  await pool.query(UNDECIDED_INDEX);
  await pool.query('ANALYZE referral_facts');
  const rows = Number(
    (await pool.query<{ n: string }>('SELECT count(*) AS n FROM bench_flow_months')).rows[0].n,
  );
  const [agencies, from, to, moment] = scope.flows.values;
  const anchored = rewritten(scope.chains, ANCHOR, ANCHORED);
  const read = async (): Promise<number> => {
    const [flows] = await Promise.all([
      pool.query(`SELECT * FROM bench_flow_months WHERE ${SCOPE} ORDER BY 1, 2, 3`, [
        agencies,
        from,
        to,
      ]),
      pool.query(`SELECT * FROM bench_code_months WHERE ${SCOPE}`, [agencies, from, to]),
      pool.query(OVERDUE, [agencies, from, to, moment]),
    ]);
    await pool.query(anchored.text, anchored.values);
    return flows.rowCount ?? 0;
  };
  const appGroups = (await pool.query(scope.flows.text, scope.flows.values)).rowCount;
  const sameGroups = (await read()) === appGroups;
  return { buildMs, rows, sameGroups, latency: await sample(read) };
}
