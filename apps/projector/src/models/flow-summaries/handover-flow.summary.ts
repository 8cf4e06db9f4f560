import type { RowSummary } from '../../engine/row-projection';
import { besideTables, countsAdded, minutesAdded } from './flow-summary.sql';

// `handover_flows` (migration 1764345600132): the handover flows per month of proposal and pair
// of agencies, summed over handover_facts by the statement that writes handover fact rows, as
// referral_flows is over referral facts (see referral-flow.summary.ts). What one row counts is
// defined in the migration's `handover_flow_sums`.

/** Where each table of handover facts keeps its flows: live, a rebuild's shadow, an as-of copy. */
export const HANDOVER_FLOWS_BESIDE = {
  handover_facts: 'handover_flows',
  handover_facts_rebuild: 'handover_flows_rebuild',
  handover_facts_as_of: 'handover_flows_as_of',
} as const;
const TABLES = besideTables(HANDOVER_FLOWS_BESIDE);

const factChange = (sign: 1 | -1): string =>
  `ROW(${sign}, proposed_at, from_agency, to_agency, accepted_at, declined_at, cancelled_at,
       completed_at)::handover_fact_change`;

/**
 * The tail of the handover facts' upsert (RowSummary.addChanges): what the rows count moves
 * from `replaced` to `written`, one upsert per flow, in key order.
 */
const addChanges = (flows: string): string => `
    INSERT INTO ${flows} AS flow
    SELECT * FROM handover_flow_sums(
      ARRAY(SELECT ${factChange(1)} FROM written
            UNION ALL SELECT ${factChange(-1)} FROM replaced))
    ORDER BY 1, 2, 3
    ON CONFLICT (month, from_agency, to_agency) DO UPDATE SET
      ${[
        ...countsAdded(['proposed', 'accepted', 'declined', 'cancelled', 'completed']),
        ...minutesAdded('complete_minutes', 'complete_spread'),
      ].join(',\n      ')}`;

/** handover_flows, kept beside each table of handover facts. */
export const HANDOVER_FLOW_SUMMARY: RowSummary = {
  tableBeside: TABLES.tableBeside,
  addChanges: (rowTable, summaryTable) => addChanges(TABLES.pair(rowTable, summaryTable)[1]),
  fill: (rowTable, summaryTable) => {
    const [facts, flows] = TABLES.pair(rowTable, summaryTable);
    return `SELECT handover_flows_fill('${facts}', '${flows}')`;
  },
};
