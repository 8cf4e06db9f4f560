-- Up Migration
-- Read models for the query API: what became of a referral (its case, where it was redirected
-- from) and the cases each agency is responsible for, with the handover in flight.
ALTER TABLE referral_views
  ADD COLUMN case_id uuid,
  ADD COLUMN redirected_from uuid;

CREATE TABLE case_views (
  case_id                 uuid PRIMARY KEY,
  responsible             text NOT NULL,
  status                  text NOT NULL,
  from_referral_id        uuid,
  opened_at               timestamptz NOT NULL,
  last_changed_at         timestamptz NOT NULL,
  stream_version          integer NOT NULL,
  handover_id             uuid,
  handover_to             text,
  handover_status         text,
  handover_effective_at   timestamptz
);
CREATE INDEX case_views_by_responsible ON case_views (responsible, opened_at DESC, case_id DESC);
CREATE INDEX case_views_by_handover_to ON case_views (handover_to) WHERE handover_to IS NOT NULL;

-- Down Migration
DROP TABLE case_views;
ALTER TABLE referral_views DROP COLUMN case_id, DROP COLUMN redirected_from;
