-- Up Migration
-- Deadlines the watcher must act on: a referral's decision deadline, an accepted handover's
-- effective time. Maintained from the global log by the deadline tracker.
CREATE TABLE pending_deadlines (
  stream_id  text NOT NULL,
  kind       text NOT NULL,
  due_at     timestamptz NOT NULL,
  PRIMARY KEY (stream_id, kind)
);
CREATE INDEX pending_deadlines_by_due ON pending_deadlines (due_at);

-- Down Migration
DROP TABLE pending_deadlines;
