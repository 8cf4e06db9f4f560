-- Up Migration
-- One data key per subject: every personal field about that person (and the names of staff
-- acting on their records) is sealed with it before it is stored or published. The key is kept
-- only wrapped by a master key from configuration. Erasure destroys it: the row stays, without
-- the key, so the subject can never be given a new key that would make old ciphertext look
-- readable, and so the erasure itself stays on record.
CREATE TABLE subject_keys (
  key_id         uuid PRIMARY KEY,
  subject_id     text NOT NULL UNIQUE,
  master_key_id  text NOT NULL,
  wrapped_key    bytea,
  created_at     timestamptz NOT NULL DEFAULT now(),
  erased_at      timestamptz,
  erased_by      text,
  CONSTRAINT subject_keys_erased_means_no_key CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL))
);

-- Down Migration
DROP TABLE subject_keys;
