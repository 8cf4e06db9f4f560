import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { FactsSource, LIVE_FACTS, factsReader } from './facts-source';

/** Median and 90th percentile of a duration, in hours; null where nothing was measured. */
export interface Spread {
  median: number | null;
  p90: number | null;
}

/**
 * What a flow counts, in the order reports show them. `decidedLate`: decided (accepted,
 * rejected, redirected) after the decision deadline; `undecidedOverdue`: not decided yet, the
 * deadline past (at the moment asked about); `closedLoop`: the referrer learnt how it ended
 * (completed, failed, rejected or redirected).
 */
export const FLOW_COUNTS = [
  'made',
  'acknowledged',
  'accepted',
  'rejected',
  'redirected',
  'cancelled',
  'completed',
  'failed',
  'decidedLate',
  'undecidedOverdue',
  'closedLoop',
] as const;
export type FlowCount = (typeof FLOW_COUNTS)[number];

/** One month of referrals from one agency to another, counted exactly (before suppression). */
export type AgencyFlow = { month: string; from: string; to: string } & Record<FlowCount, number> & {
    /** Reason codes of the referrals that ended rejected, redirected, failed or cancelled. */
    reasons: Record<string, Record<string, number>>;
    /** Outcome codes of the completed referrals. */
    outcomes: Record<string, number>;
    hoursToAcknowledge: Spread;
    hoursToDecide: Spread;
  };

/** Months whose first referrals bounced: how many were redirected once, and twice or more. */
export interface RedirectChains {
  month: string;
  redirectedOnce: number;
  redirectedTwiceOrMore: number;
}

export interface FlowsQuery {
  /** Only flows with one of these agencies on either side. */
  agencies: readonly string[];
  /** First month counted, inclusive (`YYYY-MM`). */
  fromMonth: string;
  /** Last month counted, inclusive (`YYYY-MM`). */
  toMonth: string;
}

/**
 * The rows whose `time` falls in the months asked for (UTC) and that have an agency of the
 * director's scope on either side: `$1` the agencies, `$2`-`$3` the first and last month.
 */
export const inMonthsAndScope = (time: string) => `
  ${time} >= ($2::text || '-01T00:00:00Z')::timestamptz
  AND ${time} < ($3::text || '-01T00:00:00Z')::timestamptz + interval '1 month'
  AND (from_agency = ANY($1::text[]) OR to_agency = ANY($1::text[]))`;
const IN_SCOPE = inMonthsAndScope('made_at');
const MONTH = `to_char(made_at AT TIME ZONE 'UTC', 'YYYY-MM')`;
const hours = (column: string) => `extract(epoch FROM ${column} - made_at) / 3600`;
const spread = (column: string, name: string) => `
  percentile_cont(0.5) WITHIN GROUP (ORDER BY ${hours(column)}) AS ${name}_median,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY ${hours(column)}) AS ${name}_p90`;

const flowsSql = (table: string) => `
  SELECT ${MONTH} AS month, from_agency, to_agency,
    count(*)::int AS made,
    count(acknowledged_at)::int AS acknowledged,
    count(*) FILTER (WHERE decision = 'accepted')::int AS accepted,
    count(*) FILTER (WHERE decision = 'rejected')::int AS rejected,
    count(*) FILTER (WHERE decision = 'redirected')::int AS redirected,
    count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled,
    count(*) FILTER (WHERE status = 'completed')::int AS completed,
    count(*) FILTER (WHERE status = 'failed')::int AS failed,
    count(*) FILTER (WHERE decided_at > decision_due_by)::int AS "decidedLate",
    count(*) FILTER (WHERE decided_at IS NULL AND status IN ('requested', 'received')
      AND decision_due_by < $4::timestamptz)::int AS "undecidedOverdue",
    count(*) FILTER (WHERE status IN ('completed', 'failed', 'rejected', 'redirected'))::int
      AS "closedLoop",
    ${spread('acknowledged_at', 'acknowledge')},
    ${spread('decided_at', 'decide')}
  FROM ${table} WHERE ${IN_SCOPE}
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;

const codesSql = (table: string) => `
  SELECT ${MONTH} AS month, from_agency, to_agency, status, coalesce(reason_code, outcome_code,
    'uncoded') AS code, count(*)::int AS n
  FROM ${table}
  WHERE ${IN_SCOPE} AND status IN ('rejected', 'redirected', 'failed', 'cancelled', 'completed')
  GROUP BY 1, 2, 3, 4, 5`;

// A chain starts at a referral nobody redirected to and that was redirected itself (the others
// bounced no time); each redirect adds a link. Counted by the month the chain started, for
// chains that started in scope. Both steps read covering partial indexes only.
const chainsSql = (table: string) => `
  WITH RECURSIVE chain AS (
    SELECT referral_id AS root, referral_id, 0 AS redirects, made_at AS started
    FROM ${table} WHERE redirected_from IS NULL AND decision = 'redirected' AND ${IN_SCOPE}
    UNION ALL
    SELECT c.root, f.referral_id, c.redirects + 1, c.started
    FROM chain c JOIN ${table} f ON f.redirected_from = c.referral_id
  ), longest AS (
    SELECT root, max(redirects) AS redirects, min(started) AS started FROM chain GROUP BY root
  )
  SELECT to_char(started AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
    count(*) FILTER (WHERE redirects = 1)::int AS once,
    count(*) FILTER (WHERE redirects >= 2)::int AS twice_or_more
  FROM longest GROUP BY 1 ORDER BY 1`;

type FlowRow = { month: string; from_agency: string; to_agency: string } & Record<
  FlowCount,
  number
> & {
    acknowledge_median: number | null;
    acknowledge_p90: number | null;
    decide_median: number | null;
    decide_p90: number | null;
  };

interface CodeRow {
  month: string;
  from_agency: string;
  to_agency: string;
  status: string;
  code: string;
  n: number;
}

const flowKey = (row: { month: string; from_agency: string; to_agency: string }): string =>
  `${row.month}|${row.from_agency}|${row.to_agency}`;

/** To one decimal, as durations are shown. */
export const rounded = (value: number | null): number | null =>
  value === null ? null : Math.round(value * 10) / 10;

/**
 * Cooperation flows from `referral_facts`: per month and pair of agencies, how referrals were
 * made, decided and ended, and why. Exact counts: suppressing small numbers is the caller's
 * (it depends on who asks).
 */
@Injectable()
export class CooperationFlowsQueries {
  constructor(private readonly pool: Pool) {}

  async flows(query: FlowsQuery, source: FactsSource = LIVE_FACTS): Promise<AgencyFlow[]> {
    const { tables, ask, moment } = factsReader(this.pool, source);
    const values = valuesOf(query);
    const [flows, codes] = await Promise.all([
      ask<FlowRow>(flowsSql(tables.referrals), [...values, moment]),
      ask<CodeRow>(codesSql(tables.referrals), values),
    ]);
    const byKey = new Map<string, AgencyFlow>();
    for (const row of flows) byKey.set(flowKey(row), flowOf(row));
    for (const row of codes) {
      const flow = byKey.get(flowKey(row));
      if (!flow) continue;
      if (row.status === 'completed') flow.outcomes[row.code] = row.n;
      else (flow.reasons[row.status] ??= {})[row.code] = row.n;
    }
    return [...byKey.values()];
  }

  async redirectChains(
    query: FlowsQuery,
    source: FactsSource = LIVE_FACTS,
  ): Promise<RedirectChains[]> {
    const { tables, ask } = factsReader(this.pool, source);
    const rows = await ask<{ month: string; once: number; twice_or_more: number }>(
      chainsSql(tables.referrals),
      valuesOf(query),
    );
    return rows.map((row) => ({
      month: row.month,
      redirectedOnce: row.once,
      redirectedTwiceOrMore: row.twice_or_more,
    }));
  }
}

/** `$1`-`$3` of every insights statement: the scope's agencies and the months. */
export const valuesOf = (query: FlowsQuery): unknown[] => [
  query.agencies,
  query.fromMonth,
  query.toMonth,
];

function flowOf(row: FlowRow): AgencyFlow {
  const counts = Object.fromEntries(FLOW_COUNTS.map((name) => [name, row[name]]));
  return {
    month: row.month,
    from: row.from_agency,
    to: row.to_agency,
    ...(counts as Record<FlowCount, number>),
    reasons: {},
    outcomes: {},
    hoursToAcknowledge: {
      median: rounded(row.acknowledge_median),
      p90: rounded(row.acknowledge_p90),
    },
    hoursToDecide: { median: rounded(row.decide_median), p90: rounded(row.decide_p90) },
  };
}
