-- Up Migration
-- The auditable history: one row per event, hash-chained per stream.
CREATE TABLE streams (
  stream_id   text PRIMARY KEY,
  category    text NOT NULL,
  version     integer NOT NULL,
  last_hash   bytea NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  closed      boolean NOT NULL DEFAULT false
);
CREATE INDEX streams_by_category ON streams (category, stream_id);

CREATE TABLE events (
  global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Followers read below the oldest running transaction, ordered by (transaction_id,
  -- global_position), so an event committed late by a slow transaction is never skipped.
  transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
  event_id        uuid NOT NULL,
  stream_id       text NOT NULL,
  stream_version  integer NOT NULL,
  event_type      text NOT NULL,
  data            jsonb NOT NULL,
  metadata        jsonb NOT NULL,
  recorded_at     timestamptz NOT NULL,
  hash            bytea NOT NULL,
  CONSTRAINT events_event_id_unique UNIQUE (event_id),
  CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
);
CREATE INDEX events_global_order ON events (transaction_id, global_position);

-- Down Migration
DROP TABLE events;
DROP TABLE streams;
