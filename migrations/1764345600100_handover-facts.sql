-- Up Migration
-- Read model for cooperation insights (issue 24): one row per proposed handover of a case's
-- responsibility, from the agency responsible to another, with when it was accepted, declined,
-- cancelled or completed. Nothing about the person: no subject, no free text.
CREATE TABLE handover_facts (
  handover_id     uuid PRIMARY KEY,
  case_id         uuid NOT NULL,
  from_agency     text NOT NULL,
  to_agency       text NOT NULL,
  status          text NOT NULL,
  proposed_at     timestamptz NOT NULL,
  accepted_at     timestamptz,
  declined_at     timestamptz,
  cancelled_at    timestamptz,
  completed_at    timestamptz,
  stream_version  integer NOT NULL
);
CREATE INDEX handover_facts_from_month ON handover_facts (from_agency, proposed_at);
CREATE INDEX handover_facts_to_month ON handover_facts (to_agency, proposed_at);

-- Down Migration
DROP TABLE handover_facts;
