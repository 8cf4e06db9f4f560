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
const inMonthsAndScope = (time: string) => `
  ${time} >= ($2::text || '-01T00:00:00Z')::timestamptz
  AND ${time} < ($3::text || '-01T00:00:00Z')::timestamptz + interval '1 month'
  AND (from_agency = ANY($1::text[]) OR to_agency = ANY($1::text[]))`;
/** The same for flows kept per month (`YYYY-MM`, which sorts as text). */
export const FLOWS_IN_SCOPE = `
  month BETWEEN $2::text AND $3::text
  AND (from_agency = ANY($1::text[]) OR to_agency = ANY($1::text[]))`;

/**
 * A spread kept in minutes (`column[1]` median, `[2]` 90th percentile) as whole tenths of `unit`
 * minutes, half up: whole numbers cost the reader least to parse (a flow query returns thousands).
 */
export const tenthsOf = (column: string, index: 1 | 2, unit: number): string =>
  `floor(${column}[${index}] / ${unit / 10} + 0.5)::int`;
const tenthsOfHours = (column: string, index: 1 | 2) => tenthsOf(column, index, 60);

// The flows as referral_flows keeps them (migration 1764345600130). A flow whose referrals all
// went elsewhere keeps a row of zeros: made > 0 passes over it.
const flowsSql = (table: string) => `
  SELECT month, from_agency, to_agency, made, acknowledged, accepted, rejected, redirected,
    cancelled, completed, failed, decided_late, closed_loop, ended_codes,
    ${tenthsOfHours('acknowledge_spread', 1)} AS acknowledge_median,
    ${tenthsOfHours('acknowledge_spread', 2)} AS acknowledge_p90,
    ${tenthsOfHours('decide_spread', 1)} AS decide_median,
    ${tenthsOfHours('decide_spread', 2)} AS decide_p90
  FROM ${table} WHERE ${FLOWS_IN_SCOPE} AND made > 0
  ORDER BY 1, 2, 3`;

// What moves with the clock is counted live, from the few undecided referrals (a partial index
// of them, migration 1764345600091): those past their deadline at the moment asked about.
const undecidedOverdueSql = (table: string) => `
  SELECT to_char(made_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, from_agency, to_agency,
    count(*)::int AS n
  FROM ${table}
  WHERE status IN ('requested', 'received') AND decided_at IS NULL
    AND decision_due_by < $4::timestamptz AND ${inMonthsAndScope('made_at')}
  GROUP BY 1, 2, 3`;

// Redirect chains by the month they started, for chains that started in scope: summed from the
// flows of their first referrals. A month with a chain started shows, redirected or not yet.
const chainsSql = (table: string) => `
  SELECT month, sum(redirected_once)::int AS once,
    sum(redirected_twice_or_more)::int AS twice_or_more
  FROM ${table} WHERE ${FLOWS_IN_SCOPE} AND chains_started > 0
  GROUP BY 1 ORDER BY 1`;

/** The counts a range's totals sum: those that add up, not what moves with the clock. */
export type Totalled = Exclude<FlowCount, 'undecidedOverdue'>;
export const TOTALLED: readonly Totalled[] = FLOW_COUNTS.filter(
  (count): count is Totalled => count !== 'undecidedOverdue',
);
export type TotalledCounts = Record<Totalled, number>;

/** A director's flows summed over a range, in PostgreSQL: what a report of the whole range reads. */
export interface FlowTotals {
  /** Per month with referrals made. */
  byMonth: ({ month: string } & TotalledCounts)[];
  /** Per pair of agencies over the range (sectors are the directory's, summed by the caller). */
  byAgencyPair: ({ from: string; to: string } & TotalledCounts)[];
  /** Per way of ending (rejected, redirected, failed, cancelled) and reason code. */
  reasons: Record<string, Record<string, number>>;
}

const columnOf = (count: Totalled): string => count.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

// One pass over the flows in scope, summed two ways: per month (pair columns null) and per pair
// of agencies (month null); a few hundred rows where the flows are thousands.
const totalsSql = (table: string) => `
  SELECT month, from_agency, to_agency,
    ${TOTALLED.map((count) => `sum(${columnOf(count)})::int AS "${count}"`).join(', ')}
  FROM ${table} WHERE ${FLOWS_IN_SCOPE} AND made > 0
  GROUP BY GROUPING SETS ((month), (from_agency, to_agency))
  ORDER BY 1, 2, 3`;

// The reason codes of the endings other than completion, summed over the range.
const reasonTotalsSql = (table: string) => `
  SELECT ending.key AS status, code.key AS code, sum(code.value::int)::int AS n
  FROM ${table} AS f, jsonb_each(f.ended_codes) AS ending, jsonb_each_text(ending.value) AS code
  WHERE ${FLOWS_IN_SCOPE} AND made > 0 AND ending.key <> 'completed'
  GROUP BY 1, 2 ORDER BY 1, 2`;

type TotalsRow = {
  month: string | null;
  from_agency: string | null;
  to_agency: string | null;
} & TotalledCounts;

interface FlowRow {
  month: string;
  from_agency: string;
  to_agency: string;
  made: number;
  acknowledged: number;
  accepted: number;
  rejected: number;
  redirected: number;
  cancelled: number;
  completed: number;
  failed: number;
  decided_late: number;
  closed_loop: number;
  /** By end status, then reason (or outcome) code. */
  ended_codes: Record<string, Record<string, number>>;
  /** Tenths of an hour, or null where nothing was measured. */
  acknowledge_median: number | null;
  acknowledge_p90: number | null;
  decide_median: number | null;
  decide_p90: number | null;
}

interface CountRow {
  month: string;
  from_agency: string;
  to_agency: string;
  n: number;
}

const flowKey = (row: { month: string; from_agency: string; to_agency: string }): string =>
  `${row.month}|${row.from_agency}|${row.to_agency}`;

/** Whole tenths (of an hour, a day) as the number shown. */
export const fromTenths = (tenths: number | null): number | null =>
  tenths === null ? null : tenths / 10;

/**
 * Cooperation flows from `referral_flows` (and `referral_facts` for what moves with the clock):
 * per month and pair of agencies, how referrals were made, decided and ended, and why. Exact
 * counts: suppressing small numbers is the caller's (it depends on who asks).
 */
@Injectable()
export class CooperationFlowsQueries {
  constructor(private readonly pool: Pool) {}

  async flows(query: FlowsQuery, source: FactsSource = LIVE_FACTS): Promise<AgencyFlow[]> {
    const { tables, ask, moment } = factsReader(this.pool, source);
    const values = valuesOf(query);
    const [flows, overdue] = await Promise.all([
      ask<FlowRow>(flowsSql(tables.flows), values),
      ask<CountRow>(undecidedOverdueSql(tables.referrals), [...values, moment]),
    ]);
    const overdueByKey = new Map(overdue.map((row) => [flowKey(row), row.n]));
    return flows.map((row) => flowOf(row, overdueByKey.get(flowKey(row)) ?? 0));
  }

  async totals(query: FlowsQuery, source: FactsSource = LIVE_FACTS): Promise<FlowTotals> {
    const { tables, ask } = factsReader(this.pool, source);
    const values = valuesOf(query);
    const [sums, reasonRows] = await Promise.all([
      ask<TotalsRow>(totalsSql(tables.flows), values),
      ask<{ status: string; code: string; n: number }>(reasonTotalsSql(tables.flows), values),
    ]);
    const countsOf = (row: TotalsRow): TotalledCounts =>
      Object.fromEntries(TOTALLED.map((count) => [count, row[count]])) as TotalledCounts;
    const reasons: FlowTotals['reasons'] = {};
    for (const { status, code, n } of reasonRows) (reasons[status] ??= {})[code] = n;
    return {
      byMonth: sums.flatMap((row) =>
        row.month === null ? [] : [{ month: row.month, ...countsOf(row) }],
      ),
      byAgencyPair: sums.flatMap((row) =>
        row.from_agency === null || row.to_agency === null
          ? []
          : [{ from: row.from_agency, to: row.to_agency, ...countsOf(row) }],
      ),
      reasons,
    };
  }

  async redirectChains(
    query: FlowsQuery,
    source: FactsSource = LIVE_FACTS,
  ): Promise<RedirectChains[]> {
    const { tables, ask } = factsReader(this.pool, source);
    const rows = await ask<{ month: string; once: number; twice_or_more: number }>(
      chainsSql(tables.flows),
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

// Built field by field, in the order reports show them: it runs for thousands of flows.
function flowOf(row: FlowRow, undecidedOverdue: number): AgencyFlow {
  const codes = row.ended_codes;
  // Completed ones with their outcome codes, the other endings with their reason codes (end
  // statuses from referral_flows' closed set).
  const reasons: AgencyFlow['reasons'] = {};
  for (const status in codes) if (status !== 'completed') reasons[status] = codes[status];
  const outcomes = codes.completed ?? {};
  return {
    month: row.month,
    from: row.from_agency,
    to: row.to_agency,
    made: row.made,
    acknowledged: row.acknowledged,
    accepted: row.accepted,
    rejected: row.rejected,
    redirected: row.redirected,
    cancelled: row.cancelled,
    completed: row.completed,
    failed: row.failed,
    decidedLate: row.decided_late,
    undecidedOverdue,
    closedLoop: row.closed_loop,
    reasons,
    outcomes,
    hoursToAcknowledge: {
      median: fromTenths(row.acknowledge_median),
      p90: fromTenths(row.acknowledge_p90),
    },
    hoursToDecide: { median: fromTenths(row.decide_median), p90: fromTenths(row.decide_p90) },
  };
}
