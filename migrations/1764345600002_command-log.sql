-- Up Migration
-- One row per command ever answered: its outcome is given again when the command is redelivered.
CREATE TABLE command_log (
  agency_id      text NOT NULL,
  command_id     uuid NOT NULL,
  command_type   text NOT NULL,
  payload_sha256 bytea NOT NULL,
  outcome        jsonb NOT NULL,
  answered_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (agency_id, command_id)
);

-- Down Migration
DROP TABLE command_log;
