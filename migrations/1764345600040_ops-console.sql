-- Up Migration
-- Operators signed in to the ops console. Only a SHA-256 of each session token is kept: a copy
-- of this table cannot be used to sign in. Shared by every console instance, so a session
-- works whichever instance answers, and survives a restart until it expires. `key_sha256` is
-- the directory's hash of the key signed in with (as in the directory file): a session ends
-- when its key is revoked.
CREATE TABLE ops_sessions (
  token_sha256  bytea PRIMARY KEY,
  operator_id   text NOT NULL,
  key_sha256    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX ops_sessions_by_expiry ON ops_sessions (expires_at);

-- The console's copy of `referrals.dead-letter`, one row per dead-lettered record. Copying is
-- idempotent twice over: by the record's own place on the dead-letter topic (a redelivered
-- record) and by the place of the original command (a command dead-lettered twice).
-- `record_value` is what the agency sent, possibly personal data in plain text: it is kept only
-- until the record is re-driven, and never served; the console shows the masked `preview`.
CREATE TABLE dead_letters (
  dead_letter_id         uuid PRIMARY KEY,
  dead_letter_topic      text NOT NULL,
  dead_letter_partition  integer NOT NULL,
  dead_letter_offset     bigint NOT NULL,
  source_topic           text,
  source_partition       integer,
  source_offset          bigint,
  reason                 text NOT NULL,
  record_key             bytea,
  record_value           bytea,
  value_bytes            integer NOT NULL,
  preview                jsonb NOT NULL,
  dead_lettered_at       timestamptz NOT NULL,
  copied_at              timestamptz NOT NULL DEFAULT now(),
  redriven_at            timestamptz,
  redriven_by            text,
  CONSTRAINT dead_letters_record_unique
    UNIQUE (dead_letter_topic, dead_letter_partition, dead_letter_offset),
  CONSTRAINT dead_letters_source_unique UNIQUE (source_topic, source_partition, source_offset)
);
CREATE INDEX dead_letters_newest ON dead_letters (dead_lettered_at DESC, dead_letter_id);
-- The re-drive rate limit counts the re-drives of the last minute.
CREATE INDEX dead_letters_redriven ON dead_letters (redriven_at) WHERE redriven_at IS NOT NULL;

-- Down Migration
DROP TABLE dead_letters;
DROP TABLE ops_sessions;
