-- Up Migration
-- What ties a dead letter's copy to the people it is about, so that erasing a person removes it
-- (apps/ops-console/src/dead-letters/dead-letter-ties.ts): the keyed hashes of the identifiers
-- found in the record, the same HMAC under SUBJECT_ID_KEY that subject_identifiers holds (never
-- an identifier itself), and the referral and case streams it names. NULL while not yet looked
-- at: rows copied before this migration, which the dead-letter purge looks at in its rounds.
ALTER TABLE dead_letters ADD COLUMN identifier_keys text[], ADD COLUMN stream_ids text[];
CREATE INDEX dead_letters_by_identifier_key ON dead_letters USING gin (identifier_keys);
CREATE INDEX dead_letters_by_stream ON dead_letters USING gin (stream_ids);
CREATE INDEX dead_letters_untied ON dead_letters (dead_letter_id)
  WHERE identifier_keys IS NULL AND record_value IS NOT NULL;

-- Down Migration
DROP INDEX dead_letters_untied;
DROP INDEX dead_letters_by_stream;
DROP INDEX dead_letters_by_identifier_key;
ALTER TABLE dead_letters DROP COLUMN stream_ids, DROP COLUMN identifier_keys;
