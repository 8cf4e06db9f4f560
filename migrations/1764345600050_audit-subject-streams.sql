-- Up Migration
-- A person's history across agencies (GET /v1/audit/subjects/{subjectId}/history) starts from
-- the streams about them: each referral and case names its subject in its first event's data.
-- Only those first events are indexed (one row per stream), with the stream id included so the
-- lookup never visits the table. `data` is json (the text as given): ->> parses it per row, which
-- an index on the expression does once, at insert.
CREATE INDEX events_streams_by_subject ON events ((data->>'subjectId')) INCLUDE (stream_id)
  WHERE event_type IN ('referral.made.v1', 'case.opened.v1');

-- Down Migration
DROP INDEX events_streams_by_subject;
