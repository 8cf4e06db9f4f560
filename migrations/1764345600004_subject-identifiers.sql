-- Up Migration
-- Pseudonymous subjects: each identifier is stored only as a keyed hash (HMAC-SHA-256 of
-- "system|value"), linked to the subject id it was first seen with; identifiers that arrive
-- together are linked to one subject, so one person's referrals meet under one id.
CREATE TABLE subject_identifiers (
  identifier_key text PRIMARY KEY,
  subject_id     text NOT NULL,
  linked_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX subject_identifiers_by_subject ON subject_identifiers (subject_id);

-- Down Migration
DROP TABLE subject_identifiers;
