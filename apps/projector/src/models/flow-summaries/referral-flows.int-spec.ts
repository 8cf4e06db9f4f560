// referral_flows is exact: after any sequence of fact rows written through the facts' own
// upsert (new referrals, referrals changing in any way, the same batch delivered again), it
// holds what a GROUP BY over referral_facts, written here independently of the migration's
// functions, gives; and so does the fill a rebuild uses.
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { inTransaction } from '@backbone/database';
import { freshTestDatabase } from '@backbone/testing/fresh-test-database';
import { rowTableSql, upsertValues } from '../../engine/row-table.sql';
import type { ReferralFactRow } from '../referral-facts/referral-fact.row';
import { REFERRAL_FACT_PROJECTION } from '../referral-facts/referral-fact.fold';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Referrals the sequences write, the later ones able to continue an earlier one's redirect. */
const REFERRALS = Array.from({ length: 10 }, () => randomUUID());
const AGENCIES = ['randers-school', 'randers-social', 'redbridge-gp-team'];
/** Makings at month boundaries (UTC) and inside months. */
const MADE_AT = [
  '2026-01-31T23:59:59.999Z',
  '2026-02-01T00:00:00.000Z',
  '2026-02-14T09:30:00.000Z',
  '2026-03-31T23:30:00.000Z',
].map(Date.parse);
const STATUSES = [
  'requested',
  'received',
  'accepted',
  'in-progress',
  'on-hold',
  'completed',
  'rejected',
  'redirected',
  'cancelled',
  'failed',
];

// Durations around the rounding to whole minutes (half a minute rounds up), negative ones (a
// clock set wrong), and long ones.
const duration = fc.oneof(
  fc.constantFrom(0, 29_999, 30_000, 89_999, 90_000, HOUR),
  fc.integer({ min: -2 * MINUTE, max: 10 * 24 * HOUR }),
);
const laterOrNot = (madeAt: number) =>
  fc.option(duration.map((ms) => new Date(madeAt + ms).toISOString()));

/** A whole fact row for the referral at `index`: whatever it held before, this replaces it. */
const factRow = (index: number): fc.Arbitrary<ReferralFactRow> =>
  fc
    .record({
      from: fc.constantFrom(...AGENCIES),
      to: fc.constantFrom(...AGENCIES),
      madeAt: fc.constantFrom(...MADE_AT),
      deadlineHours: fc.constantFrom(1, 24),
      decision: fc.constantFrom(null, 'accepted', 'rejected', 'redirected'),
      status: fc.constantFrom(...STATUSES),
      reasonCode: fc.constantFrom(null, 'no-capacity', 'wrong-service'),
      outcomeCode: fc.constantFrom(null, 'service-provided'),
      // Only an earlier referral: redirects never loop.
      redirectedFrom: index ? fc.option(fc.integer({ min: 0, max: index - 1 })) : fc.constant(null),
      version: fc.integer({ min: 1, max: 50 }),
    })
    .chain((fields) =>
      fc
        .record({
          acknowledgedAt: laterOrNot(fields.madeAt),
          decidedAt: laterOrNot(fields.madeAt),
          endedAt: laterOrNot(fields.madeAt),
        })
        .map((times) => ({
          referral_id: REFERRALS[index],
          from_agency: fields.from,
          to_agency: fields.to,
          category: 'safeguarding',
          priority: 'urgent',
          made_at: new Date(fields.madeAt).toISOString(),
          decision_due_by: new Date(fields.madeAt + fields.deadlineHours * HOUR).toISOString(),
          acknowledged_at: times.acknowledgedAt,
          decided_at: times.decidedAt,
          decision: fields.decision,
          status: fields.status,
          ended_at: times.endedAt,
          reason_code: fields.reasonCode,
          outcome_code: fields.outcomeCode,
          redirected_from: fields.redirectedFrom === null ? null : REFERRALS[fields.redirectedFrom],
          stream_version: fields.version,
        })),
    );

/** One statement's rows (a referral at most once, as the engine writes them), maybe redelivered. */
const batch = fc
  .uniqueArray(fc.integer({ min: 0, max: REFERRALS.length - 1 }), { minLength: 1, maxLength: 6 })
  .chain((indexes) => fc.tuple(...indexes.map(factRow)))
  .chain((rows) => fc.record({ rows: fc.constant(rows), deliveredTwice: fc.boolean() }));

const MINUTES_AFTER = (column: string) =>
  `floor(extract(epoch FROM ${column} - ${column.replace(/\w+$/, 'made_at')}) / 60 + 0.5)::integer`;

// The flows straight from referral_facts, by the definitions the README states.
const GROUPED = `
  WITH RECURSIVE facts AS (
    SELECT *, to_char(made_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month FROM referral_facts
  ), counted AS (
    SELECT month, from_agency, to_agency, count(*)::int AS made,
      count(acknowledged_at)::int AS acknowledged,
      count(*) FILTER (WHERE decision = 'accepted')::int AS accepted,
      count(*) FILTER (WHERE decision = 'rejected')::int AS rejected,
      count(*) FILTER (WHERE decision = 'redirected')::int AS redirected,
      count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled,
      count(*) FILTER (WHERE status = 'completed')::int AS completed,
      count(*) FILTER (WHERE status = 'failed')::int AS failed,
      count(*) FILTER (WHERE decided_at > decision_due_by)::int AS decided_late,
      count(*) FILTER (WHERE status IN ('completed', 'failed', 'rejected', 'redirected'))::int
        AS closed_loop,
      count(*) FILTER (WHERE decision = 'redirected' AND redirected_from IS NULL)::int
        AS chains_started,
      percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY ${MINUTES_AFTER('acknowledged_at')})
        AS acknowledge_spread,
      percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY ${MINUTES_AFTER('decided_at')})
        AS decide_spread
    FROM facts GROUP BY 1, 2, 3
  ), by_code AS (
    SELECT month, from_agency, to_agency, status,
      jsonb_object_agg(code, n) AS codes
    FROM (
      SELECT month, from_agency, to_agency, status,
        coalesce(reason_code, outcome_code, 'uncoded') AS code, count(*) AS n
      FROM facts WHERE status IN ('rejected', 'redirected', 'failed', 'cancelled', 'completed')
      GROUP BY 1, 2, 3, 4, 5
    ) coded GROUP BY 1, 2, 3, 4
  ), codes AS (
    SELECT month, from_agency, to_agency, jsonb_object_agg(status, codes) AS ended_codes
    FROM by_code GROUP BY 1, 2, 3
  ), minutes AS (
    SELECT month, from_agency, to_agency, kind, jsonb_object_agg(minutes, n) AS counts
    FROM (
      SELECT month, from_agency, to_agency, 'acknowledge' AS kind,
        ${MINUTES_AFTER('acknowledged_at')} AS minutes, count(*) AS n
      FROM facts WHERE acknowledged_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5
      UNION ALL
      SELECT month, from_agency, to_agency, 'decide', ${MINUTES_AFTER('decided_at')}, count(*)
      FROM facts WHERE decided_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5
    ) counted_minutes GROUP BY 1, 2, 3, 4
  ), chain AS (
    SELECT referral_id AS root, referral_id, 0 AS redirects
    FROM facts WHERE redirected_from IS NULL AND decision = 'redirected'
    UNION ALL
    SELECT c.root, f.referral_id, c.redirects + 1
    FROM chain c JOIN facts f ON f.redirected_from = c.referral_id
  ), chains AS (
    SELECT r.month, r.from_agency, r.to_agency,
      count(*) FILTER (WHERE longest.redirects = 1)::int AS once,
      count(*) FILTER (WHERE longest.redirects >= 2)::int AS twice_or_more
    FROM (SELECT root, max(redirects) AS redirects FROM chain GROUP BY root) longest
    JOIN facts r ON r.referral_id = longest.root
    GROUP BY 1, 2, 3
  )
  SELECT c.month, c.from_agency, c.to_agency, c.made, c.acknowledged, c.accepted, c.rejected,
    c.redirected, c.cancelled, c.completed, c.failed, c.decided_late, c.closed_loop,
    c.chains_started, coalesce(chains.once, 0) AS redirected_once,
    coalesce(chains.twice_or_more, 0) AS redirected_twice_or_more,
    coalesce(codes.ended_codes, '{}') AS ended_codes,
    coalesce(a.counts, '{}') AS acknowledge_minutes, coalesce(d.counts, '{}') AS decide_minutes,
    c.acknowledge_spread, c.decide_spread
  FROM counted c
    LEFT JOIN chains USING (month, from_agency, to_agency)
    LEFT JOIN codes USING (month, from_agency, to_agency)
    LEFT JOIN minutes a ON (a.month, a.from_agency, a.to_agency, a.kind)
      = (c.month, c.from_agency, c.to_agency, 'acknowledge')
    LEFT JOIN minutes d ON (d.month, d.from_agency, d.to_agency, d.kind)
      = (c.month, c.from_agency, c.to_agency, 'decide')
  ORDER BY 1, 2, 3`;

// A flow whose referrals all went elsewhere stays as a row of zeros, which queries pass over.
const KEPT = `SELECT * FROM referral_flows WHERE made > 0 ORDER BY 1, 2, 3`;
const LEFT_NON_ZERO = `
  SELECT count(*)::int AS n FROM referral_flows
  WHERE made = 0 AND (acknowledged, accepted, rejected, redirected, cancelled, completed, failed,
    decided_late, closed_loop, chains_started, redirected_once, redirected_twice_or_more)
    <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    OR made = 0 AND (ended_codes, acknowledge_minutes, decide_minutes) <> ('{}', '{}', '{}')`;

// Sectors merge agencies' flows: two of the three agencies here share one.
const sectors = (alias: string) => `(VALUES ('randers-school', 'education'),
  ('randers-social', 'social-care'), ('redbridge-gp-team', 'social-care')) AS ${alias} (agency, name)`;
// Medians and 90th percentiles per month and pair of sectors, from the flows' minute counts
// added up across the agency pairs each sector pair merges.
const SECTOR_SPREADS_MERGED = `
  WITH minutes AS (
    SELECT f.month, fs.name AS from_sector, ts.name AS to_sector, m.key, sum(m.value::int) AS n
    FROM referral_flows f
      JOIN ${sectors('fs')} ON fs.agency = f.from_agency
      JOIN ${sectors('ts')} ON ts.agency = f.to_agency,
      jsonb_each_text(f.decide_minutes) m
    GROUP BY 1, 2, 3, 4
  )
  SELECT month, from_sector, to_sector, minutes_spread(jsonb_object_agg(key, n)) AS spread
  FROM minutes GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
// The same straight from the facts.
const SECTOR_SPREADS_GROUPED = `
  SELECT to_char(f.made_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, fs.name AS from_sector,
    ts.name AS to_sector,
    percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY ${MINUTES_AFTER('f.decided_at')})
      AS spread
  FROM referral_facts f
    JOIN ${sectors('fs')} ON fs.agency = f.from_agency
    JOIN ${sectors('ts')} ON ts.agency = f.to_agency
  WHERE f.decided_at IS NOT NULL
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;

describe('referral flows summed beside the facts', () => {
  const db = freshTestDatabase({ maxConnections: 2 });
  const upsert = rowTableSql(REFERRAL_FACT_PROJECTION, 'referral_facts').upsert;
  const lock = rowTableSql(REFERRAL_FACT_PROJECTION, 'referral_facts').selectForUpdate;

  /** As the engine writes a batch: its rows locked, then the one upsert. */
  const write = (rows: ReferralFactRow[]) =>
    inTransaction(db.pool, async (client) => {
      await client.query({ ...lock, values: [rows.map((row) => row.referral_id)] });
      await client.query({ ...upsert, values: upsertValues(REFERRAL_FACT_PROJECTION, rows) });
    });
  const rows = async (sql: string) => (await db.pool.query<Record<string, unknown>>(sql)).rows;

  it('equal a GROUP BY over the facts after any sequence of fact changes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 12 }), async (batches) => {
        await db.pool.query('TRUNCATE referral_facts, referral_flows');
        for (const { rows: written, deliveredTwice } of batches) {
          await write(written);
          if (deliveredTwice) await write(written);
        }
        expect(await rows(KEPT)).toEqual(await rows(GROUPED));
        expect((await rows(LEFT_NON_ZERO))[0].n).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it('answer medians and 90th percentiles per pair of sectors, by adding up minute counts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 8 }), async (batches) => {
        await db.pool.query('TRUNCATE referral_facts, referral_flows');
        for (const { rows: written } of batches) await write(written);
        expect(await rows(SECTOR_SPREADS_MERGED)).toEqual(await rows(SECTOR_SPREADS_GROUPED));
      }),
      { numRuns: 30 },
    );
  });

  it('are filled from the facts alone as a rebuild fills them', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 8 }), async (batches) => {
        await db.pool.query('TRUNCATE referral_facts, referral_flows');
        for (const { rows: written } of batches) await write(written);
        await db.pool.query('TRUNCATE referral_flows');
        await db.pool.query("SELECT referral_flows_fill('referral_facts', 'referral_flows')");
        expect(await rows('SELECT * FROM referral_flows ORDER BY 1, 2, 3')).toEqual(
          await rows(GROUPED),
        );
      }),
      { numRuns: 30 },
    );
  });
});
