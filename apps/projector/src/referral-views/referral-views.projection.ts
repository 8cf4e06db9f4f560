import type { PoolClient } from 'pg';
import {
  CloudEvent,
  REFERRAL_ACCEPTED_V1,
  REFERRAL_MADE_V1,
  ReferralAcceptedV1,
  ReferralMadeV1,
} from '@backbone/contracts';
import { referralStatusAfter } from '@backbone/domain';

/** The live table, and the shadow a rebuild fills before it is swapped in. */
export type ReferralViewsTable = 'referral_views' | 'referral_views_rebuild';

// Idempotent by stream version: a row is only ever moved forward, so a redelivered or late
// event (at or below the version the row shows) changes nothing. The table name is one of the
// closed set above, fixed in code.
const sqlFor = (table: ReferralViewsTable) => ({
  insertMade: `
    INSERT INTO ${table} (referral_id, from_agency, to_agency, status, category, priority,
                          decision_due_by, made_at, last_changed_at, stream_version, redirected_from)
    VALUES ($1, $2, $3, 'requested', $4, $5, $6, $7, $7, $8, $9)
    ON CONFLICT (referral_id) DO NOTHING`,
  updateStatus: `
    UPDATE ${table}
    SET status = $2, last_changed_at = $3, stream_version = $4, case_id = COALESCE($5, case_id),
        decided_at = CASE WHEN $2 IN ('accepted', 'rejected', 'redirected') THEN COALESCE(decided_at, $3::timestamptz)
                          ELSE decided_at END
    WHERE referral_id = $1 AND stream_version < $4`,
});

const SQL: Record<ReferralViewsTable, ReturnType<typeof sqlFor>> = {
  referral_views: sqlFor('referral_views'),
  referral_views_rebuild: sqlFor('referral_views_rebuild'),
};

/**
 * Applies one published referral event to the referral read model, in the caller's
 * transaction: the live table by default, the shadow table during a rebuild.
 */
export async function applyToReferralViews(
  client: PoolClient,
  event: CloudEvent,
  table: ReferralViewsTable = 'referral_views',
): Promise<void> {
  const sql = SQL[table];
  if (event.type === REFERRAL_MADE_V1) {
    const made = event.data as ReferralMadeV1;
    await client.query(sql.insertMade, [
      made.referralId,
      made.from,
      made.to,
      made.category,
      made.priority,
      made.decisionDueBy,
      event.time,
      event.streamversion,
      made.redirectedFrom ?? null,
    ]);
    return;
  }
  const status = referralStatusAfter(event.type);
  if (!status || event.streamversion === undefined) return;
  const caseId =
    event.type === REFERRAL_ACCEPTED_V1 ? (event.data as ReferralAcceptedV1).caseId : null;
  await client.query(sql.updateStatus, [
    event.subject,
    status,
    event.time,
    event.streamversion,
    caseId,
  ]);
}
