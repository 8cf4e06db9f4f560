import type { PoolClient } from 'pg';
import { CloudEvent, REFERRAL_MADE_V1, ReferralMadeV1 } from '@backbone/contracts';
import { referralStatusAfter } from '@backbone/domain';

// Idempotent by stream version: an event at or below the row's version was applied already.
const INSERT_MADE = `
  INSERT INTO referral_views (referral_id, from_agency, to_agency, status, category, priority,
                              decision_due_by, made_at, last_changed_at, stream_version)
  VALUES ($1, $2, $3, 'requested', $4, $5, $6, $7, $7, $8)
  ON CONFLICT (referral_id) DO NOTHING`;

// Applied only when newer than what the row shows, so redelivery and reordering change nothing.
const UPDATE_STATUS = `
  UPDATE referral_views SET status = $2, last_changed_at = $3, stream_version = $4
  WHERE referral_id = $1 AND stream_version < $4`;

/** Applies one published event to the referral read model, inside the caller's transaction. */
export async function applyToReferralViews(client: PoolClient, event: CloudEvent): Promise<void> {
  switch (event.type) {
    case REFERRAL_MADE_V1: {
      const made = event.data as ReferralMadeV1;
      await client.query(INSERT_MADE, [
        made.referralId,
        made.from,
        made.to,
        made.category,
        made.priority,
        made.decisionDueBy,
        event.time,
        event.streamversion,
      ]);
      return;
    }
    default: {
      const status = referralStatusAfter(event.type);
      if (!status || event.streamversion === undefined) return;
      await client.query(UPDATE_STATUS, [event.subject, status, event.time, event.streamversion]);
    }
  }
}
