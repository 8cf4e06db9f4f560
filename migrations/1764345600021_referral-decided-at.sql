-- Up Migration
-- When the receiver decided (accepted, rejected or redirected): for time-to-decision figures.
ALTER TABLE referral_views ADD COLUMN decided_at timestamptz;

-- Down Migration
ALTER TABLE referral_views DROP COLUMN decided_at;
