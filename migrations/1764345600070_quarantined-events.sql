-- Up Migration
-- Stored events a consumer could not apply (the store is immutable: an event written before a
-- validation fix may hold a value PostgreSQL refuses). The consumer records the event here in
-- the transaction that moves its checkpoint past it, and goes on; an operator re-applies it
-- after a fix. `error` is the error's class and message, cut short: never the event's data.
CREATE TABLE quarantined_events (
  consumer         text NOT NULL,
  event_id         uuid NOT NULL,
  global_position  bigint NOT NULL,
  stream_id        text NOT NULL,
  event_type       text NOT NULL,
  error            text NOT NULL,
  first_seen_at    timestamptz NOT NULL DEFAULT now(),
  last_tried_at    timestamptz NOT NULL DEFAULT now(),
  attempts         integer NOT NULL DEFAULT 1,
  reapplied_at     timestamptz,
  PRIMARY KEY (consumer, event_id)
);
-- What is still quarantined, per consumer, in log order (the rebuild's skip list, the panel).
CREATE INDEX quarantined_events_pending
  ON quarantined_events (consumer, global_position) WHERE reapplied_at IS NULL;

-- A due deadline whose action failed for a reason other than a passing fault is held, so that
-- it does not block the deadlines after it, until an operator releases it.
ALTER TABLE pending_deadlines ADD COLUMN held_at timestamptz, ADD COLUMN held_error text;

-- Down Migration
ALTER TABLE pending_deadlines DROP COLUMN held_at, DROP COLUMN held_error;
DROP TABLE quarantined_events;
