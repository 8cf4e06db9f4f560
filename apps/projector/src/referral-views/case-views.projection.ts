import type { PoolClient } from 'pg';
import {
  CASE_CLOSED_V1,
  CASE_OPENED_V1,
  CaseOpenedV1,
  CloudEvent,
  HANDOVER_ACCEPTED_V1,
  HANDOVER_CANCELLED_V1,
  HANDOVER_COMPLETED_V1,
  HANDOVER_DECLINED_V1,
  HANDOVER_PROPOSED_V1,
  HandoverAcceptedV1,
  HandoverCompletedV1,
  HandoverProposedV1,
} from '@backbone/contracts';

const INSERT_OPENED = `
  INSERT INTO case_views (case_id, responsible, status, from_referral_id, opened_at, last_changed_at, stream_version)
  VALUES ($1, $2, 'open', $3, $4, $4, $5)
  ON CONFLICT (case_id) DO NOTHING`;

// Each update moves the row forward only (stream version guard), like the referral views.
const GUARD = 'WHERE case_id = $1 AND stream_version < $2';
const TOUCH = 'stream_version = $2, last_changed_at = $3';
const CLOSE = `UPDATE case_views SET ${TOUCH}, status = 'closed' ${GUARD}`;
const PROPOSE = `
  UPDATE case_views SET ${TOUCH}, handover_id = $4, handover_to = $5, handover_status = 'proposed',
                        handover_effective_at = $6 ${GUARD}`;
const ACCEPT = `UPDATE case_views SET ${TOUCH}, handover_status = 'accepted', handover_effective_at = $4 ${GUARD}`;
const COMPLETE = `
  UPDATE case_views SET ${TOUCH}, responsible = $4, handover_id = NULL, handover_to = NULL,
                        handover_status = NULL, handover_effective_at = NULL ${GUARD}`;
const CLEAR_HANDOVER = `
  UPDATE case_views SET ${TOUCH}, handover_id = NULL, handover_to = NULL, handover_status = NULL,
                        handover_effective_at = NULL ${GUARD}`;

/** Applies one published case event to the case read model, in the caller's transaction. */
export async function applyToCaseViews(client: PoolClient, event: CloudEvent): Promise<void> {
  const version = event.streamversion;
  if (version === undefined) return;
  const head = [event.subject, version, event.time];
  switch (event.type) {
    case CASE_OPENED_V1: {
      const opened = event.data as CaseOpenedV1;
      await client.query(INSERT_OPENED, [
        opened.caseId,
        opened.responsible,
        opened.fromReferralId ?? null,
        event.time,
        version,
      ]);
      return;
    }
    case CASE_CLOSED_V1:
      await client.query(CLOSE, head);
      return;
    case HANDOVER_PROPOSED_V1: {
      const proposed = event.data as HandoverProposedV1;
      await client.query(PROPOSE, [
        ...head,
        proposed.handoverId,
        proposed.to,
        proposed.effectiveAt ?? null,
      ]);
      return;
    }
    case HANDOVER_ACCEPTED_V1:
      await client.query(ACCEPT, [...head, (event.data as HandoverAcceptedV1).effectiveAt]);
      return;
    case HANDOVER_COMPLETED_V1:
      await client.query(COMPLETE, [...head, (event.data as HandoverCompletedV1).to]);
      return;
    case HANDOVER_DECLINED_V1:
    case HANDOVER_CANCELLED_V1:
      await client.query(CLEAR_HANDOVER, head);
      return;
    default:
      return;
  }
}
