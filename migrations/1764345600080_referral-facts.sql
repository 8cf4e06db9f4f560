-- Up Migration
-- Read model for cooperation insights (issue 24): one row per referral with what directors
-- count — who referred to whom, when it was acknowledged and decided, how it ended and the
-- coded reason — and nothing about the person (no subject, no free text).
CREATE TABLE referral_facts (
  referral_id      uuid PRIMARY KEY,
  from_agency      text NOT NULL,
  to_agency        text NOT NULL,
  category         text NOT NULL,
  priority         text NOT NULL,
  made_at          timestamptz NOT NULL,
  decision_due_by  timestamptz NOT NULL,
  acknowledged_at  timestamptz,
  decided_at       timestamptz,
  decision         text,
  status           text NOT NULL,
  ended_at         timestamptz,
  reason_code      text,
  outcome_code     text,
  redirected_from  uuid,
  stream_version   integer NOT NULL
);
-- Flows are asked for by month, from the agencies of a director's scope on either side.
CREATE INDEX referral_facts_from_month ON referral_facts (from_agency, made_at);
CREATE INDEX referral_facts_to_month ON referral_facts (to_agency, made_at);
CREATE INDEX referral_facts_redirected_from ON referral_facts (redirected_from)
  WHERE redirected_from IS NOT NULL;

-- Down Migration
DROP TABLE referral_facts;
