-- Up Migration
-- Events keep their data and metadata as the exact canonical JSON text the store was given
-- (json keeps the text, jsonb re-encodes it). It is the text the hash chain covers, it is what
-- a reader gets back byte for byte, and it costs PostgreSQL nothing to hand out: replaying the
-- log spent about half of its server time turning jsonb back into text. Nothing queries inside
-- event data in SQL; a read model that needs to can cast (data::jsonb).
ALTER TABLE events
  ALTER COLUMN data TYPE json USING data::json,
  ALTER COLUMN metadata TYPE json USING metadata::json;

-- Down Migration
ALTER TABLE events
  ALTER COLUMN data TYPE jsonb USING data::jsonb,
  ALTER COLUMN metadata TYPE jsonb USING metadata::jsonb;
