import { CASE_OPENED_V1, REFERRAL_MADE_V1 } from '@backbone/contracts';
import { EVENT_COLUMNS } from '@backbone/event-store';

/**
 * Every event of one person's streams, in the order the store recorded them. A referral or
 * case belongs to the person its first event names (`referral.made.v1`, `case.opened.v1` carry
 * `subjectId`), so events recorded before their metadata named the subject are found too; the
 * partial index of migrations/…_audit-subject-streams.sql finds those first events. Add any new
 * version of those two event types to both the query and the index.
 * $1: subject id; $2: the subject's own stream (`subject-<id>`, its erasure). Rows are `EventRow`s.
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
    SELECT ${EVENT_COLUMNS}
    FROM events e JOIN subject_streams s ON s.stream_id = e.stream_id
    ORDER BY e.global_position`,
};
