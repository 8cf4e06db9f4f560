import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import {
  FlowsQuery,
  Spread,
  inMonthsAndScope,
  rounded,
  valuesOf,
} from './cooperation-flows.queries';
import { FactsSource, LIVE_FACTS, factsReader } from './facts-source';

/** What a handover flow counts, in the order reports show them. */
export const HANDOVER_COUNTS = [
  'proposed',
  'accepted',
  'declined',
  'cancelled',
  'completed',
] as const;
export type HandoverCount = (typeof HANDOVER_COUNTS)[number];

/**
 * One month of handovers proposed from one agency to another (the case's responsible agency to
 * the one asked to take it on), counted exactly, with the days from proposal to completion.
 */
export type HandoverFlow = { month: string; from: string; to: string } & Record<
  HandoverCount,
  number
> & { daysToComplete: Spread };

// By the month of the proposal.
const handoverFlowsSql = (table: string) => `
  SELECT to_char(proposed_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, from_agency, to_agency,
    count(*)::int AS proposed,
    count(accepted_at)::int AS accepted,
    count(declined_at)::int AS declined,
    count(cancelled_at)::int AS cancelled,
    count(completed_at)::int AS completed,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - proposed_at)
      / 86400) AS days_median,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - proposed_at)
      / 86400) AS days_p90
  FROM ${table}
  WHERE ${inMonthsAndScope('proposed_at')}
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;

type HandoverFlowRow = { month: string; from_agency: string; to_agency: string } & Record<
  HandoverCount,
  number
> & { days_median: number | null; days_p90: number | null };

/** Handover flows from `handover_facts`, exact (suppression is the caller's). */
@Injectable()
export class HandoverFlowsQueries {
  constructor(private readonly pool: Pool) {}

  async flows(query: FlowsQuery, source: FactsSource = LIVE_FACTS): Promise<HandoverFlow[]> {
    const { tables, ask } = factsReader(this.pool, source);
    const rows = await ask<HandoverFlowRow>(handoverFlowsSql(tables.handovers), valuesOf(query));
    return rows.map((row) => ({
      month: row.month,
      from: row.from_agency,
      to: row.to_agency,
      ...(Object.fromEntries(HANDOVER_COUNTS.map((name) => [name, row[name]])) as Record<
        HandoverCount,
        number
      >),
      daysToComplete: { median: rounded(row.days_median), p90: rounded(row.days_p90) },
    }));
  }
}
