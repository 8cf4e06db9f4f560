-- Up Migration
-- The directors' handover flows per month of proposal and pair of agencies, summed from
-- handover_facts as referral_flows is from referral_facts (1764345600130): kept by the statement
-- that writes handover fact rows, one upsert per (month, pair) in the same transaction. The days
-- from proposal to completion are counted per whole minute, like the referrals' durations.
CREATE TABLE handover_flows (
  month             text NOT NULL,
  from_agency       text NOT NULL,
  to_agency         text NOT NULL,
  proposed          integer NOT NULL,
  accepted          integer NOT NULL,
  declined          integer NOT NULL,
  cancelled         integer NOT NULL,
  completed         integer NOT NULL,
  -- {"<whole minutes from proposal to completion>": count}
  complete_minutes  jsonb NOT NULL,
  -- {median, 90th percentile} in minutes, of the counts beside them; null when there are none.
  complete_spread   float8[],
  PRIMARY KEY (month, from_agency, to_agency)
);
CREATE INDEX handover_flows_from_month ON handover_flows (from_agency, month);
CREATE INDEX handover_flows_to_month ON handover_flows (to_agency, month);

-- What one handover fact row counts in its flow (sign +1), or no longer counts (-1).
CREATE TYPE handover_fact_change AS (
  sign          integer,
  proposed_at   timestamptz,
  from_agency   text,
  to_agency     text,
  accepted_at   timestamptz,
  declined_at   timestamptz,
  cancelled_at  timestamptz,
  completed_at  timestamptz
);

-- What a set of changes adds to each (month, from, to), in handover_flows' columns and order,
-- with the spread of the minutes added (see referral_flow_sums).
CREATE FUNCTION handover_flow_sums(facts handover_fact_change[])
RETURNS TABLE (
  month text, from_agency text, to_agency text, proposed integer, accepted integer,
  declined integer, cancelled integer, completed integer, complete_minutes jsonb,
  complete_spread float8[]
)
LANGUAGE plpgsql STABLE AS $$
-- The result's column names are variables too: in the query they mean the columns.
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH part AS (
    SELECT f.sign, to_char(f.proposed_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
      f.from_agency, f.to_agency,
      (f.accepted_at IS NOT NULL)::integer AS accepted,
      (f.declined_at IS NOT NULL)::integer AS declined,
      (f.cancelled_at IS NOT NULL)::integer AS cancelled,
      (f.completed_at IS NOT NULL)::integer AS completed,
      whole_minutes_after(f.proposed_at, f.completed_at) AS complete_minute
    FROM unnest(facts) AS f
  ), sums AS (
    SELECT p.month, p.from_agency, p.to_agency, sum(p.sign)::integer AS proposed,
      sum(p.sign * p.accepted)::integer AS accepted,
      sum(p.sign * p.declined)::integer AS declined,
      sum(p.sign * p.cancelled)::integer AS cancelled,
      sum(p.sign * p.completed)::integer AS completed
    FROM part p GROUP BY 1, 2, 3
  ), complete AS (
    SELECT month, from_agency, to_agency, jsonb_object_agg(complete_minute, n) AS counts
    FROM (
      SELECT p.month, p.from_agency, p.to_agency, p.complete_minute, sum(p.sign) AS n
      FROM part p WHERE p.complete_minute IS NOT NULL
      GROUP BY 1, 2, 3, 4 HAVING sum(p.sign) <> 0
    ) by_minute
    GROUP BY 1, 2, 3
  )
  SELECT s.month, s.from_agency, s.to_agency, s.proposed, s.accepted, s.declined, s.cancelled,
    s.completed, coalesce(c.counts, '{}'), minutes_spread(c.counts)
  FROM sums s LEFT JOIN complete c USING (month, from_agency, to_agency)
  -- Changes that cancel out (a fact row rewritten with the same counts) add nothing.
  WHERE s.proposed <> 0 OR s.accepted <> 0 OR s.declined <> 0 OR s.cancelled <> 0
    OR s.completed <> 0 OR c.counts IS NOT NULL;
END $$;

-- Fills an empty flows table from every row of a table of handover facts, a month of proposals
-- at a time: at migration, and for a rebuild's shadow tables.
CREATE FUNCTION handover_flows_fill(facts regclass, flows regclass) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  month_start timestamptz;
BEGIN
  -- Statistics first: a table just filled by COPY (a rebuild's shadow) has none, and without
  -- them the planner may read the whole table for each lookup below.
  EXECUTE format('ANALYZE %s', facts);
  FOR month_start IN EXECUTE format(
    $sql$SELECT DISTINCT date_trunc('month', proposed_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
         FROM %s$sql$, facts)
  LOOP
    EXECUTE format($sql$
      INSERT INTO %2$s
      SELECT * FROM handover_flow_sums(ARRAY(
        SELECT ROW(1, proposed_at, from_agency, to_agency, accepted_at, declined_at,
                   cancelled_at, completed_at)::handover_fact_change
        FROM %1$s
        WHERE proposed_at >= $1 AND proposed_at < $1 + interval '1 month'))
      $sql$, facts, flows)
    USING month_start;
  END LOOP;
END $$;

SELECT handover_flows_fill('handover_facts', 'handover_flows');

-- Down Migration
DROP FUNCTION handover_flows_fill(regclass, regclass);
DROP FUNCTION handover_flow_sums(handover_fact_change[]);
DROP TYPE handover_fact_change;
DROP TABLE handover_flows;
