-- Up Migration
-- The directors' flows per month of making and pair of agencies, summed from referral_facts
-- (issue 24, item 8: a year of 1M referrals answered in under 200 ms). The statement that writes
-- fact rows keeps it (apps/projector/src/models/referral-flows): it adds what the rows written
-- count and takes away what the rows they replaced counted, one upsert per (month, pair) in the
-- same transaction, so it is exact whatever order facts change in. Figures that move with the
-- clock (undecided past the deadline) stay live counts over referral_facts.
--
-- Durations are counted per whole minute (each referral's time from making to acknowledgement
-- and to decision, rounded to the nearest minute): counts per minute add up across months and
-- pairs of agencies or sectors, and their median and 90th percentile are exact over those
-- minutes (percentile_cont's interpolation).
CREATE TABLE referral_flows (
  month                    text NOT NULL,
  from_agency              text NOT NULL,
  to_agency                text NOT NULL,
  made                     integer NOT NULL,
  acknowledged             integer NOT NULL,
  accepted                 integer NOT NULL,
  rejected                 integer NOT NULL,
  redirected               integer NOT NULL,
  cancelled                integer NOT NULL,
  completed                integer NOT NULL,
  failed                   integer NOT NULL,
  decided_late             integer NOT NULL,
  closed_loop              integer NOT NULL,
  -- Redirect chains started by these referrals (redirected, and not made by a redirect
  -- themselves), and of those the ones redirected once, and twice or more, before anyone kept
  -- them: a chain counts where its first referral was made.
  chains_started           integer NOT NULL,
  redirected_once          integer NOT NULL,
  redirected_twice_or_more integer NOT NULL,
  -- {"<end status>": {"<reason or outcome code, or uncoded>": count}}
  ended_codes              jsonb NOT NULL,
  -- {"<whole minutes>": count}
  acknowledge_minutes      jsonb NOT NULL,
  decide_minutes           jsonb NOT NULL,
  -- {median, 90th percentile} in minutes, of the counts beside them; null when there are none.
  acknowledge_spread       float8[],
  decide_spread            float8[],
  PRIMARY KEY (month, from_agency, to_agency)
);
CREATE INDEX referral_flows_from_month ON referral_flows (from_agency, month);
CREATE INDEX referral_flows_to_month ON referral_flows (to_agency, month);

-- What one fact row counts in its flow (sign +1), or no longer counts (-1).
CREATE TYPE referral_fact_change AS (
  sign            integer,
  made_at         timestamptz,
  from_agency     text,
  to_agency       text,
  decision_due_by timestamptz,
  acknowledged_at timestamptz,
  decided_at      timestamptz,
  decision        text,
  status          text,
  reason_code     text,
  outcome_code    text,
  redirected_from uuid
);

-- A redirect chain's first referral and how often it has been redirected (1, or 2 for twice or
-- more), counted (+1) or no longer counted (-1).
CREATE TYPE redirect_chain_change AS (
  sign        integer,
  made_at     timestamptz,
  from_agency text,
  to_agency   text,
  redirects   integer
);

-- A referral's time from making to `at` in whole minutes, rounded half up; null if not yet.
CREATE FUNCTION whole_minutes_after(made_at timestamptz, at timestamptz) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN floor(extract(epoch FROM at - made_at) / 60 + 0.5)::integer;

-- Counts by key added key by key; a key whose count comes to 0 is dropped.
CREATE FUNCTION counts_added(counts jsonb, added jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  entry record;
  total integer;
BEGIN
  FOR entry IN SELECT key, value::integer AS n FROM jsonb_each_text(added) LOOP
    total := coalesce((counts ->> entry.key)::integer, 0) + entry.n;
    counts := CASE WHEN total = 0 THEN counts - entry.key
                   ELSE jsonb_set(counts, ARRAY[entry.key], to_jsonb(total)) END;
  END LOOP;
  RETURN counts;
END $$;

-- Counts by status and code added; a status left with no code is dropped.
CREATE FUNCTION code_counts_added(counts jsonb, added jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  entry record;
  merged jsonb;
BEGIN
  FOR entry IN SELECT key, value FROM jsonb_each(added) LOOP
    merged := counts_added(coalesce(counts -> entry.key, '{}'), entry.value);
    counts := CASE WHEN merged = '{}' THEN counts - entry.key
                   ELSE jsonb_set(counts, ARRAY[entry.key], merged) END;
  END LOOP;
  RETURN counts;
END $$;

-- The median and 90th percentile of durations counted per minute, as percentile_cont gives them
-- over the durations one by one (linear interpolation between the two nearest ranks); null when
-- nothing was counted. One pass over the minutes in order, without expanding the counts.
CREATE FUNCTION minutes_spread(counts jsonb) RETURNS float8[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  minutes integer[];
  ns integer[];
  total integer;
  fraction float8;
  spread float8[] := '{}';
  rank float8;
  low integer;
  high integer;
  low_minutes integer;
  high_minutes integer;
  upto integer;
BEGIN
  SELECT array_agg(key::integer ORDER BY key::integer),
         array_agg(value::integer ORDER BY key::integer), sum(value::integer)
    INTO minutes, ns, total
    FROM jsonb_each_text(counts);
  IF total IS NULL OR total <= 0 THEN
    RETURN NULL;
  END IF;
  FOREACH fraction IN ARRAY ARRAY[0.5, 0.9]::float8[] LOOP
    rank := fraction * (total - 1);
    low := floor(rank);
    high := ceil(rank);
    upto := 0;
    low_minutes := NULL;
    FOR i IN 1 .. array_length(minutes, 1) LOOP
      upto := upto + ns[i];
      IF low_minutes IS NULL AND upto > low THEN
        low_minutes := minutes[i];
      END IF;
      IF upto > high THEN
        high_minutes := minutes[i];
        EXIT;
      END IF;
    END LOOP;
    spread := spread || (low_minutes + (rank - low) * (high_minutes - low_minutes));
  END LOOP;
  RETURN spread;
END $$;

-- What a set of changes adds to each (month, from, to): the sums of the fact rows' and chains'
-- signed counts, codes and minutes, with the spreads of the minutes added (right for a flow that
-- is new; for one that exists, the upsert works them out again from the merged minutes). Its
-- columns are referral_flows' in order (declared here, not taken from the table, so that a
-- rebuild can swap tables of that shape in and drop the old one).
CREATE FUNCTION referral_flow_sums(facts referral_fact_change[], chains redirect_chain_change[])
RETURNS TABLE (
  month text, from_agency text, to_agency text, made integer, acknowledged integer,
  accepted integer, rejected integer, redirected integer, cancelled integer, completed integer,
  failed integer, decided_late integer, closed_loop integer, chains_started integer,
  redirected_once integer, redirected_twice_or_more integer, ended_codes jsonb,
  acknowledge_minutes jsonb, decide_minutes jsonb, acknowledge_spread float8[],
  decide_spread float8[]
)
LANGUAGE plpgsql STABLE AS $$
-- The result's column names are variables too: in the query they mean the columns.
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH part AS (
    SELECT f.sign, to_char(f.made_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, f.from_agency,
      f.to_agency,
      (f.acknowledged_at IS NOT NULL)::integer AS acknowledged,
      (f.decision IS NOT DISTINCT FROM 'accepted')::integer AS accepted,
      (f.decision IS NOT DISTINCT FROM 'rejected')::integer AS rejected,
      (f.decision IS NOT DISTINCT FROM 'redirected')::integer AS redirected,
      (f.status = 'cancelled')::integer AS cancelled,
      (f.status = 'completed')::integer AS completed,
      (f.status = 'failed')::integer AS failed,
      coalesce(f.decided_at > f.decision_due_by, false)::integer AS decided_late,
      (f.status IN ('completed', 'failed', 'rejected', 'redirected'))::integer AS closed_loop,
      (f.decision IS NOT DISTINCT FROM 'redirected' AND f.redirected_from IS NULL)::integer
        AS chains_started,
      CASE WHEN f.status IN ('rejected', 'redirected', 'failed', 'cancelled', 'completed')
        THEN f.status END AS ended,
      coalesce(f.reason_code, f.outcome_code, 'uncoded') AS code,
      whole_minutes_after(f.made_at, f.acknowledged_at) AS acknowledge_minute,
      whole_minutes_after(f.made_at, f.decided_at) AS decide_minute
    FROM unnest(facts) AS f
  ), chain AS (
    SELECT c.sign, to_char(c.made_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, c.from_agency,
      c.to_agency, c.redirects
    FROM unnest(chains) AS c
  ), fact_sums AS (
    SELECT p.month, p.from_agency, p.to_agency, sum(p.sign)::integer AS made,
      sum(p.sign * p.acknowledged)::integer AS acknowledged,
      sum(p.sign * p.accepted)::integer AS accepted,
      sum(p.sign * p.rejected)::integer AS rejected,
      sum(p.sign * p.redirected)::integer AS redirected,
      sum(p.sign * p.cancelled)::integer AS cancelled,
      sum(p.sign * p.completed)::integer AS completed,
      sum(p.sign * p.failed)::integer AS failed,
      sum(p.sign * p.decided_late)::integer AS decided_late,
      sum(p.sign * p.closed_loop)::integer AS closed_loop,
      sum(p.sign * p.chains_started)::integer AS chains_started
    FROM part p GROUP BY 1, 2, 3
  ), chain_sums AS (
    SELECT c.month, c.from_agency, c.to_agency,
      sum(c.sign) FILTER (WHERE c.redirects = 1)::integer AS once,
      sum(c.sign) FILTER (WHERE c.redirects >= 2)::integer AS twice_or_more
    FROM chain c GROUP BY 1, 2, 3
  ), codes AS (
    SELECT month, from_agency, to_agency, jsonb_object_agg(ended, by_code) AS counts
    FROM (
      SELECT month, from_agency, to_agency, ended, jsonb_object_agg(code, n) AS by_code
      FROM (
        SELECT p.month, p.from_agency, p.to_agency, p.ended, p.code, sum(p.sign) AS n
        FROM part p WHERE p.ended IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5 HAVING sum(p.sign) <> 0
      ) by_status_and_code
      GROUP BY 1, 2, 3, 4
    ) by_status
    GROUP BY 1, 2, 3
  ), acknowledge AS (
    SELECT month, from_agency, to_agency, jsonb_object_agg(acknowledge_minute, n) AS counts
    FROM (
      SELECT p.month, p.from_agency, p.to_agency, p.acknowledge_minute, sum(p.sign) AS n
      FROM part p WHERE p.acknowledge_minute IS NOT NULL
      GROUP BY 1, 2, 3, 4 HAVING sum(p.sign) <> 0
    ) by_minute
    GROUP BY 1, 2, 3
  ), decide AS (
    SELECT month, from_agency, to_agency, jsonb_object_agg(decide_minute, n) AS counts
    FROM (
      SELECT p.month, p.from_agency, p.to_agency, p.decide_minute, sum(p.sign) AS n
      FROM part p WHERE p.decide_minute IS NOT NULL
      GROUP BY 1, 2, 3, 4 HAVING sum(p.sign) <> 0
    ) by_minute
    GROUP BY 1, 2, 3
  ), summed AS (
    SELECT month, from_agency, to_agency,
      coalesce(s.made, 0) AS made, coalesce(s.acknowledged, 0) AS acknowledged,
      coalesce(s.accepted, 0) AS accepted, coalesce(s.rejected, 0) AS rejected,
      coalesce(s.redirected, 0) AS redirected, coalesce(s.cancelled, 0) AS cancelled,
      coalesce(s.completed, 0) AS completed, coalesce(s.failed, 0) AS failed,
      coalesce(s.decided_late, 0) AS decided_late, coalesce(s.closed_loop, 0) AS closed_loop,
      coalesce(s.chains_started, 0) AS chains_started, coalesce(c.once, 0) AS once, coalesce(c.twice_or_more, 0) AS twice_or_more,
      coalesce(codes.counts, '{}') AS ended_codes,
      coalesce(acknowledge.counts, '{}') AS acknowledge_minutes,
      coalesce(decide.counts, '{}') AS decide_minutes
    FROM fact_sums s
      FULL JOIN chain_sums c USING (month, from_agency, to_agency)
      LEFT JOIN codes USING (month, from_agency, to_agency)
      LEFT JOIN acknowledge USING (month, from_agency, to_agency)
      LEFT JOIN decide USING (month, from_agency, to_agency)
  )
  SELECT s.month, s.from_agency, s.to_agency, s.made, s.acknowledged, s.accepted, s.rejected,
    s.redirected, s.cancelled, s.completed, s.failed, s.decided_late, s.closed_loop,
    s.chains_started, s.once, s.twice_or_more, s.ended_codes, s.acknowledge_minutes, s.decide_minutes,
    minutes_spread(s.acknowledge_minutes), minutes_spread(s.decide_minutes)
  FROM summed s
  -- Changes that cancel out (a fact row rewritten with the same counts) add nothing.
  WHERE s.made <> 0 OR s.acknowledged <> 0 OR s.accepted <> 0 OR s.rejected <> 0
    OR s.redirected <> 0 OR s.cancelled <> 0 OR s.completed <> 0 OR s.failed <> 0
    OR s.decided_late <> 0 OR s.closed_loop <> 0 OR s.chains_started <> 0 OR s.once <> 0
    OR s.twice_or_more <> 0
    OR s.ended_codes <> '{}' OR s.acknowledge_minutes <> '{}' OR s.decide_minutes <> '{}';
END $$;

-- Fills an empty flows table from every row of a table of referral facts, a month of facts at a
-- time (months are flows of their own): at migration, and for a rebuild's shadow tables. A
-- redirect chain starts at a referral nobody redirected to that was itself redirected; it counts
-- once if a referral continued it, twice or more if that one was continued too.
CREATE FUNCTION referral_flows_fill(facts regclass, flows regclass) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  month_start timestamptz;
BEGIN
  -- Statistics first: a table just filled by COPY (a rebuild's shadow) has none, and without
  -- them the planner may read the whole table for each lookup below.
  EXECUTE format('ANALYZE %s', facts);
  FOR month_start IN EXECUTE format(
    $sql$SELECT DISTINCT date_trunc('month', made_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
         FROM %s$sql$, facts)
  LOOP
    EXECUTE format($sql$
      INSERT INTO %2$s
      SELECT * FROM referral_flow_sums(
        ARRAY(
          SELECT ROW(1, made_at, from_agency, to_agency, decision_due_by, acknowledged_at,
                     decided_at, decision, status, reason_code, outcome_code,
                     redirected_from)::referral_fact_change
          FROM %1$s
          WHERE made_at >= $1 AND made_at < $1 + interval '1 month'),
        ARRAY(
          SELECT ROW(1, r.made_at, r.from_agency, r.to_agency,
                     CASE WHEN EXISTS (
                       SELECT 1 FROM %1$s c JOIN %1$s g ON g.redirected_from = c.referral_id
                       WHERE c.redirected_from = r.referral_id) THEN 2 ELSE 1 END
                 )::redirect_chain_change
          FROM %1$s r
          WHERE r.redirected_from IS NULL AND r.decision = 'redirected'
            AND r.made_at >= $1 AND r.made_at < $1 + interval '1 month'
            AND EXISTS (SELECT 1 FROM %1$s c WHERE c.redirected_from = r.referral_id)))
      $sql$, facts, flows)
    USING month_start;
  END LOOP;
END $$;

SELECT referral_flows_fill('referral_facts', 'referral_flows');

-- Down Migration
DROP FUNCTION referral_flows_fill(regclass, regclass);
DROP FUNCTION referral_flow_sums(referral_fact_change[], redirect_chain_change[]);
DROP FUNCTION minutes_spread(jsonb);
DROP FUNCTION code_counts_added(jsonb, jsonb);
DROP FUNCTION counts_added(jsonb, jsonb);
DROP FUNCTION whole_minutes_after(timestamptz, timestamptz);
DROP TYPE redirect_chain_change;
DROP TYPE referral_fact_change;
DROP TABLE referral_flows;
