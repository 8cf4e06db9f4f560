// What keeping the flows costs each projector transaction: the facts' upsert as the projector
// sends it (the flows kept in the same statement) against the same upsert without them, for
// groups of changed fact rows of the year's last month, each group in a transaction of its own
// after its rows are locked, as the projector applies a group.
import type { Pool } from 'pg';
import { rowTableSql, upsertValues } from '../../apps/projector/src/engine/row-table.sql';
import { REFERRAL_FACT_PROJECTION } from '../../apps/projector/src/models/referral-facts/referral-fact.fold';
import type { ReferralFactRow } from '../../apps/projector/src/models/referral-facts/referral-fact.row';
import { LatencySummary, summarise } from '../pipeline/latency';

const HOUR = 3_600_000;
const WITHOUT_FLOWS = { ...REFERRAL_FACT_PROJECTION, summary: undefined };

export interface WriteCost {
  /** Fact rows changed in one transaction. */
  group: number;
  withFlows: LatencySummary;
  withoutFlows: LatencySummary;
}

// Referrals of the month that can still move, in a seeded random order.
const MOVABLE = `
  SELECT referral_id FROM referral_facts
  WHERE made_at >= $1::timestamptz AND status IN ('requested', 'received', 'accepted', 'in-progress')
  ORDER BY md5(referral_id::text) LIMIT $2`;

/** The referral's next step, as the fold would write it: acknowledged, decided, or completed. */
function nextStep(row: ReferralFactRow): ReferralFactRow {
  const at = (hours: number) => new Date(Date.parse(row.made_at) + hours * HOUR).toISOString();
  const version = row.stream_version + 1;
  if (!row.acknowledged_at)
    return { ...row, acknowledged_at: at(1.5), status: 'received', stream_version: version };
  if (!row.decided_at)
    return {
      ...row,
      decided_at: at(20),
      decision: 'accepted',
      status: 'accepted',
      stream_version: version,
    };
  return {
    ...row,
    status: 'completed',
    ended_at: at(400),
    outcome_code: 'service-provided',
    stream_version: version,
  };
}

/**
 * Alternating groups with and without the flows, each on fresh referrals of `since`'s month:
 * `rounds` of each per group size. Changes the database (the benchmark's own).
 */
export async function writeCosts(
  pool: Pool,
  since: string,
  plan: { group: number; rounds: number }[],
): Promise<WriteCost[]> {
  const needed = plan.reduce((sum, { group, rounds }) => sum + 2 * group * rounds, 0);
  const { rows } = await pool.query<{ referral_id: string }>(MOVABLE, [since, needed]);
  if (rows.length < needed) throw new Error(`${needed} movable referrals wanted, ${rows.length}`);
  const ids = rows.map((row) => row.referral_id);
  const statements = {
    with: rowTableSql(REFERRAL_FACT_PROJECTION, 'referral_facts'),
    without: rowTableSql(WITHOUT_FLOWS, 'referral_facts'),
  };
  const client = await pool.connect();
  try {
    const costs: WriteCost[] = [];
    for (const { group, rounds } of plan) {
      const timings = { with: [] as number[], without: [] as number[] };
      for (let round = 0; round < 2 * rounds; round++) {
        const kind = round % 2 ? 'without' : 'with';
        const keys = ids.splice(0, group);
        await client.query('BEGIN');
        const locked = await client.query<ReferralFactRow>({
          ...statements[kind].selectForUpdate,
          values: [keys],
        });
        const projection = kind === 'with' ? REFERRAL_FACT_PROJECTION : WITHOUT_FLOWS;
        const started = performance.now();
        await client.query({
          name: `bench-${kind}-flows-upsert`,
          text: statements[kind].upsert.text,
          values: upsertValues(projection, locked.rows.map(nextStep)),
        });
        timings[kind].push(performance.now() - started);
        await client.query('COMMIT');
      }
      costs.push({
        group,
        withFlows: summarise(timings.with),
        withoutFlows: summarise(timings.without),
      });
    }
    return costs;
  } finally {
    client.release();
  }
}
