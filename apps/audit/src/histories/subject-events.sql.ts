import { CASE_OPENED_V1, REFERRAL_MADE_V1 } from '@backbone/contracts';
import type { StoredEvent } from '@backbone/event-store';

/**
 * Every event of one person's streams, in the order the store recorded them. A referral or
 * case belongs to the person its first event names (`referral.made.v1`, `case.opened.v1` carry
 * `subjectId`), so events recorded before their metadata named the subject are found too; the
 * partial index of migrations/…_audit-subject-streams.sql finds those first events. Add any new
 * version of those two event types to both the query and the index.
 * $1: subject id; $2: the subject's own stream (`subject-<id>`, its erasure).
 */
export const EVENTS_OF_SUBJECT = {
  name: 'audit.events-of-subject',
  text: `
    WITH subject_streams AS (
      SELECT o.stream_id FROM events o
      WHERE o.event_type IN ('${REFERRAL_MADE_V1}', '${CASE_OPENED_V1}')
        AND (o.data->>'subjectId') = $1::text
      UNION
      SELECT $2::text
    )
    SELECT e.global_position::text AS global_position, e.transaction_id::text AS transaction_id,
      e.event_id, e.stream_id, e.stream_version, e.event_type, e.data, e.metadata,
      to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at,
      encode(e.hash, 'hex') AS hash
    FROM events e JOIN subject_streams s ON s.stream_id = e.stream_id
    ORDER BY e.global_position`,
};

export interface SubjectEventRow {
  global_position: string;
  transaction_id: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  event_type: string;
  data: StoredEvent['data'];
  metadata: StoredEvent['metadata'];
  recorded_at: string;
  hash: string;
}

export const toStoredEvent = (row: SubjectEventRow): StoredEvent => ({
  eventId: row.event_id,
  streamId: row.stream_id,
  streamVersion: row.stream_version,
  globalPosition: row.global_position,
  transactionId: row.transaction_id,
  type: row.event_type,
  data: row.data,
  metadata: row.metadata,
  recordedAt: row.recorded_at,
  hash: row.hash,
});
