import type { RowSummary } from '../../engine/row-projection';

// `referral_flows` (migration 1764345600120): the flows per month of making and pair of agencies,
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
// continued by another (`links`: referral_id → redirected_from); it was redirected twice or more
// when that one was continued too.
const startsChain = (links: string): string => `
  r.redirected_from IS NULL AND r.decision = 'redirected'
  AND EXISTS (SELECT 1 FROM ${links} c WHERE c.redirected_from = r.referral_id)`;
const chainChange = (sign: 1 | -1, links: string): string =>
  `ROW(${sign}, r.made_at, r.from_agency, r.to_agency,
       CASE WHEN EXISTS (SELECT 1 FROM ${links} c JOIN ${links} g ON g.redirected_from = c.referral_id
                         WHERE c.redirected_from = r.referral_id) THEN 2 ELSE 1 END
     )::redirect_chain_change`;

const spreadOf = (minutes: string): string =>
  `CASE WHEN EXCLUDED.${minutes} = '{}' THEN flow.${minutes.replace('minutes', 'spread')}
        ELSE minutes_spread(counts_added(flow.${minutes}, EXCLUDED.${minutes})) END`;

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
    , links AS NOT MATERIALIZED (
      SELECT referral_id, redirected_from FROM ${facts}
      WHERE redirected_from IS NOT NULL AND referral_id NOT IN (SELECT referral_id FROM written)
      UNION ALL SELECT referral_id, redirected_from FROM written WHERE redirected_from IS NOT NULL
    ), parents AS (
      SELECT redirected_from AS referral_id FROM replaced WHERE redirected_from IS NOT NULL
      UNION SELECT redirected_from FROM written WHERE redirected_from IS NOT NULL
    ), touched AS (
      SELECT referral_id FROM written
      UNION SELECT referral_id FROM parents
      UNION SELECT f.redirected_from FROM ${facts} f JOIN parents USING (referral_id)
        WHERE f.redirected_from IS NOT NULL
      UNION SELECT l.redirected_from FROM links l JOIN parents USING (referral_id)
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
      ARRAY(SELECT ${chainChange(-1, facts)} FROM ${facts} r
            WHERE r.referral_id IN (SELECT referral_id FROM touched) AND ${startsChain(facts)}
            UNION ALL
            SELECT ${chainChange(1, 'links')} FROM touched_now r WHERE ${startsChain('links')}))
    ORDER BY 1, 2, 3
    ON CONFLICT (month, from_agency, to_agency) DO UPDATE SET
      ${SUMMED_COUNTS.map((name) => `${name} = flow.${name} + EXCLUDED.${name}`).join(',\n      ')},
      ended_codes = code_counts_added(flow.ended_codes, EXCLUDED.ended_codes),
      acknowledge_minutes = counts_added(flow.acknowledge_minutes, EXCLUDED.acknowledge_minutes),
      decide_minutes = counts_added(flow.decide_minutes, EXCLUDED.decide_minutes),
      acknowledge_spread = ${spreadOf('acknowledge_minutes')},
      decide_spread = ${spreadOf('decide_minutes')}`;
}

function factsTable(table: string): FactsTable {
  if (!Object.hasOwn(REFERRAL_FLOWS_BESIDE, table))
    throw new Error(`no flows are kept beside ${table}`);
  return table as FactsTable;
}

/** A table of facts and the flows table beside it, checked against the closed set. */
function pair(rowTable: string, summaryTable: string): [FactsTable, string] {
  const facts = factsTable(rowTable);
  if (REFERRAL_FLOWS_BESIDE[facts] !== summaryTable)
    throw new Error(`${summaryTable} is not the flows table beside ${facts}`);
  return [facts, summaryTable];
}

/** referral_flows, kept beside each table of referral facts. */
export const REFERRAL_FLOW_SUMMARY: RowSummary = {
  tableBeside: (rowTable) => REFERRAL_FLOWS_BESIDE[factsTable(rowTable)],
  addChanges: (rowTable, summaryTable) => addChanges(...pair(rowTable, summaryTable)),
  fill: (rowTable, summaryTable) => {
    const [facts, flows] = pair(rowTable, summaryTable);
    return `SELECT referral_flows_fill('${facts}', '${flows}')`;
  },
};
