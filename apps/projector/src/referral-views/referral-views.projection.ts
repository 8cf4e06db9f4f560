import type { PoolClient } from 'pg';
import { CloudEvent, REFERRAL_MADE_V1, ReferralMadeV1 } from '@backbone/contracts';

// Idempotent by stream version: an event at or below the row's version was applied already.
const INSERT_MADE = `
  INSERT INTO referral_views (referral_id, from_agency, to_agency, status, category, priority,
                              decision_due_by, made_at, last_changed_at, stream_version)
  VALUES ($1, $2, $3, 'requested', $4, $5, $6, $7, $7, $8)
  ON CONFLICT (referral_id) DO NOTHING`;

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
    default:
      return;
  }
}
