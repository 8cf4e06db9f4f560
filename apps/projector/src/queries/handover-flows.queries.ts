import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import {
  FLOWS_IN_SCOPE,
  FlowsQuery,
  Spread,
  fromTenths,
  tenthsOf,
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

const DAY_MINUTES = 24 * 60;

// By the month of the proposal, as handover_flows keeps them (migration 1764345600132).
const handoverFlowsSql = (table: string) => `
  SELECT month, from_agency, to_agency, proposed, accepted, declined, cancelled, completed,
    ${tenthsOf('complete_spread', 1, DAY_MINUTES)} AS complete_median,
    ${tenthsOf('complete_spread', 2, DAY_MINUTES)} AS complete_p90
  FROM ${table} WHERE ${FLOWS_IN_SCOPE} AND proposed > 0
  ORDER BY 1, 2, 3`;

type HandoverFlowRow = { month: string; from_agency: string; to_agency: string } & Record<
  HandoverCount,
  number
> & {
    /** Tenths of a day, or null where nothing was measured. */
    complete_median: number | null;
    complete_p90: number | null;
  };

/** Handover flows from `handover_flows`, exact (suppression is the caller's). */
@Injectable()
export class HandoverFlowsQueries {
  constructor(private readonly pool: Pool) {}

  async flows(query: FlowsQuery, source: FactsSource = LIVE_FACTS): Promise<HandoverFlow[]> {
    const { tables, ask } = factsReader(this.pool, source);
    const rows = await ask<HandoverFlowRow>(
      handoverFlowsSql(tables.handoverFlows),
      valuesOf(query),
    );
    // Field by field, in HANDOVER_COUNTS' order: it runs for thousands of flows.
    return rows.map((row) => ({
      month: row.month,
      from: row.from_agency,
      to: row.to_agency,
      proposed: row.proposed,
      accepted: row.accepted,
      declined: row.declined,
      cancelled: row.cancelled,
      completed: row.completed,
      daysToComplete: {
        median: fromTenths(row.complete_median),
        p90: fromTenths(row.complete_p90),
      },
    }));
  }
}
