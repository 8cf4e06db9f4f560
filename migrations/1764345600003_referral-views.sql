-- Up Migration
-- Read model: one row per referral, for its two parties' inbox and outbox queries.
CREATE TABLE referral_views (
  referral_id      uuid PRIMARY KEY,
  from_agency      text NOT NULL,
  to_agency        text NOT NULL,
  status           text NOT NULL,
  category         text NOT NULL,
  priority         text NOT NULL,
  decision_due_by  timestamptz NOT NULL,
  made_at          timestamptz NOT NULL,
  last_changed_at  timestamptz NOT NULL,
  stream_version   integer NOT NULL
);
CREATE INDEX referral_views_inbox ON referral_views (to_agency, made_at DESC, referral_id DESC);
CREATE INDEX referral_views_outbox ON referral_views (from_agency, made_at DESC, referral_id DESC);

-- Down Migration
DROP TABLE referral_views;
