import type { RowSummary } from '../../engine/row-projection';
import { besideTables, countsAdded, minutesAdded } from './flow-summary.sql';

// `referral_flows` (migration 1764345600130): the flows per month of making and pair of agencies,
// summed over referral_facts by the statement that writes fact rows. What one fact row counts is
// defined once, in the migration's `referral_flow_sums`; this module feeds it each statement's
// changes and adds what it returns to the table. Table names come from the closed set below,
// never from input.

/** Where each table of referral facts keeps its flows: live, a rebuild's shadow, an as-of copy. */
export const REFERRAL_FLOWS_BESIDE = {
  referral_facts: 'referral_flows',
  referral_facts_rebuild: 'referral_flows_rebuild',
  referral_facts_as_of: 'referral_flows_as_of',
} as const;
type FactsTable = keyof typeof REFERRAL_FLOWS_BESIDE;
const TABLES = besideTables(REFERRAL_FLOWS_BESIDE);

/** The flow's counts, each the sum of what its referrals (or redirect chains) count. */
const SUMMED_COUNTS = [
  'made',
  'acknowledged',
  'accepted',
  'rejected',
  'redirected',
  'cancelled',
  'completed',
  'failed',
  'decided_late',
  'closed_loop',
  'chains_started',
  'redirected_once',
  'redirected_twice_or_more',
];

const factChange = (sign: 1 | -1): string =>
  `ROW(${sign}, made_at, from_agency, to_agency, decision_due_by, acknowledged_at, decided_at,
       decision, status, reason_code, outcome_code, redirected_from)::referral_fact_change`;

// A redirect chain starts at a referral nobody redirected to that was redirected itself and
// continued by another; it was redirected twice or more when that one was continued too.
// `children(parent)` selects the referrals continuing `parent` (a correlated column), so each
// step is a lookup in the index of redirected_from, never a scan of every link.
type Children = (parent: string) => string;
const startsChain = (children: Children): string => `
  r.redirected_from IS NULL AND r.decision = 'redirected' AND EXISTS (${children('r.referral_id')})`;
const chainChange = (sign: 1 | -1, children: Children): string =>
  `ROW(${sign}, r.made_at, r.from_agency, r.to_agency,
       CASE WHEN EXISTS (SELECT 1 FROM (${children('r.referral_id')}) c
                         WHERE EXISTS (${children('c.referral_id')})) THEN 2 ELSE 1 END
     )::redirect_chain_change`;
/** Continuing referrals as the table held them before the statement. */
const childrenBefore =
  (facts: FactsTable): Children =>
  (parent) =>
    `SELECT referral_id FROM ${facts} WHERE redirected_from = ${parent}`;
/** Continuing referrals once the statement has written its rows. */
const childrenAfter =
  (facts: FactsTable): Children =>
  (parent) => `
    SELECT referral_id FROM ${facts}
    WHERE redirected_from = ${parent} AND referral_id NOT IN (SELECT referral_id FROM written)
    UNION ALL SELECT referral_id FROM written WHERE redirected_from = ${parent}`;

/**
 * The tail of the facts' upsert (RowSummary.addChanges). What the fact rows count moves from
 * `replaced` to `written`. A redirect chain's count depends on other rows: a chain's first
 * referral counts once when a referral continues it, twice or more when that one is continued
 * too. So the chains a written row may change (its own, its parent's and grandparent's, before
 * and after the statement) are taken away as they stood before it and added as they stand after
 * it; one that did not change adds nothing. Flows are upserted in key order, so two transactions
 * lock shared flows in the same order.
 */
function addChanges(facts: FactsTable, flows: string): string {
  return `
    , parents AS (
      SELECT redirected_from AS referral_id FROM replaced WHERE redirected_from IS NOT NULL
      UNION SELECT redirected_from FROM written WHERE redirected_from IS NOT NULL
    ), touched AS (
      SELECT referral_id FROM written
      UNION SELECT referral_id FROM parents
      UNION SELECT f.redirected_from FROM parents JOIN ${facts} f USING (referral_id)
        WHERE f.redirected_from IS NOT NULL
      UNION SELECT w.redirected_from FROM parents JOIN written w USING (referral_id)
        WHERE w.redirected_from IS NOT NULL
    ), touched_now AS (
      SELECT referral_id, made_at, from_agency, to_agency, decision, redirected_from FROM written
      WHERE referral_id IN (SELECT referral_id FROM touched)
      UNION ALL
      SELECT referral_id, made_at, from_agency, to_agency, decision, redirected_from FROM ${facts}
      WHERE referral_id IN (SELECT referral_id FROM touched)
        AND referral_id NOT IN (SELECT referral_id FROM written)
    )
    INSERT INTO ${flows} AS flow
    SELECT * FROM referral_flow_sums(
      ARRAY(SELECT ${factChange(1)} FROM written
            UNION ALL SELECT ${factChange(-1)} FROM replaced),
      ARRAY(SELECT ${chainChange(-1, childrenBefore(facts))} FROM ${facts} r
            WHERE r.referral_id IN (SELECT referral_id FROM touched)
              AND ${startsChain(childrenBefore(facts))}
            UNION ALL
            SELECT ${chainChange(1, childrenAfter(facts))} FROM touched_now r
            WHERE ${startsChain(childrenAfter(facts))}))
    ORDER BY 1, 2, 3
    ON CONFLICT (month, from_agency, to_agency) DO UPDATE SET
      ${[
        ...countsAdded(SUMMED_COUNTS),
        'ended_codes = code_counts_added(flow.ended_codes, EXCLUDED.ended_codes)',
        ...minutesAdded('acknowledge_minutes', 'acknowledge_spread'),
        ...minutesAdded('decide_minutes', 'decide_spread'),
      ].join(',\n      ')}`;
}

/** referral_flows, kept beside each table of referral facts. */
export const REFERRAL_FLOW_SUMMARY: RowSummary = {
  tableBeside: TABLES.tableBeside,
  addChanges: (rowTable, summaryTable) => addChanges(...TABLES.pair(rowTable, summaryTable)),
  fill: (rowTable, summaryTable) => {
    const [facts, flows] = TABLES.pair(rowTable, summaryTable);
    return `SELECT referral_flows_fill('${facts}', '${flows}')`;
  },
};
