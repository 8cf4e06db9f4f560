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

/** The live table, and the shadow a rebuild fills before it is swapped in. */
export type CaseViewsTable = 'case_views' | 'case_views_rebuild';

// Each update moves the row forward only (stream version guard), like the referral views. The
// table name is one of the closed set above, fixed in code.
const GUARD = 'WHERE case_id = $1 AND stream_version < $2';
const TOUCH = 'stream_version = $2, last_changed_at = $3';
const sqlFor = (table: CaseViewsTable) => ({
  insertOpened: `
    INSERT INTO ${table} (case_id, responsible, status, from_referral_id, opened_at, last_changed_at, stream_version)
    VALUES ($1, $2, 'open', $3, $4, $4, $5)
    ON CONFLICT (case_id) DO NOTHING`,
  close: `UPDATE ${table} SET ${TOUCH}, status = 'closed' ${GUARD}`,
  propose: `
    UPDATE ${table} SET ${TOUCH}, handover_id = $4, handover_to = $5, handover_status = 'proposed',
                        handover_effective_at = $6 ${GUARD}`,
  accept: `UPDATE ${table} SET ${TOUCH}, handover_status = 'accepted', handover_effective_at = $4 ${GUARD}`,
  complete: `
    UPDATE ${table} SET ${TOUCH}, responsible = $4, handover_id = NULL, handover_to = NULL,
                        handover_status = NULL, handover_effective_at = NULL ${GUARD}`,
  clearHandover: `
    UPDATE ${table} SET ${TOUCH}, handover_id = NULL, handover_to = NULL, handover_status = NULL,
                        handover_effective_at = NULL ${GUARD}`,
});

const SQL: Record<CaseViewsTable, ReturnType<typeof sqlFor>> = {
  case_views: sqlFor('case_views'),
  case_views_rebuild: sqlFor('case_views_rebuild'),
};

/**
 * Applies one published case event to the case read model, in the caller's transaction: the
 * live table by default, the shadow table during a rebuild.
 */
export async function applyToCaseViews(
  client: PoolClient,
  event: CloudEvent,
  table: CaseViewsTable = 'case_views',
): Promise<void> {
  const sql = SQL[table];
  const version = event.streamversion;
  if (version === undefined) return;
  const head = [event.subject, version, event.time];
  switch (event.type) {
    case CASE_OPENED_V1: {
      const opened = event.data as CaseOpenedV1;
      await client.query(sql.insertOpened, [
        opened.caseId,
        opened.responsible,
        opened.fromReferralId ?? null,
        event.time,
        version,
      ]);
      return;
    }
    case CASE_CLOSED_V1:
      await client.query(sql.close, head);
      return;
    case HANDOVER_PROPOSED_V1: {
      const proposed = event.data as HandoverProposedV1;
      await client.query(sql.propose, [
        ...head,
        proposed.handoverId,
        proposed.to,
        proposed.effectiveAt ?? null,
      ]);
      return;
    }
    case HANDOVER_ACCEPTED_V1:
      await client.query(sql.accept, [...head, (event.data as HandoverAcceptedV1).effectiveAt]);
      return;
    case HANDOVER_COMPLETED_V1:
      await client.query(sql.complete, [...head, (event.data as HandoverCompletedV1).to]);
      return;
    case HANDOVER_DECLINED_V1:
    case HANDOVER_CANCELLED_V1:
      await client.query(sql.clearHandover, head);
      return;
    default:
      return;
  }
}
