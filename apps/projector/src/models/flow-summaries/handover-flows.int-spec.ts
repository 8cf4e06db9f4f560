// handover_flows is exact: after any sequence of handover fact rows written through their own
// upsert (new handovers, handovers changing in any way, a batch delivered again), it holds what
// a GROUP BY over handover_facts, written here independently of the migration's functions,
// gives; and so does the fill a rebuild uses.
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { inTransaction } from '@backbone/database';
import { freshTestDatabase } from '@backbone/testing/fresh-test-database';
import { rowTableSql, upsertValues } from '../../engine/row-table.sql';
import type { HandoverFactRow } from '../handover-facts/handover-fact.row';
import { HANDOVER_FACT_PROJECTION } from '../handover-facts/handover-fact.fold';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const HANDOVERS = Array.from({ length: 8 }, () => randomUUID());
const AGENCIES = ['randers-social', 'redbridge-housing', 'east-jutland-police'];
/** Proposals at month boundaries (UTC) and inside months. */
const PROPOSED_AT = [
  '2026-01-31T23:59:59.999Z',
  '2026-02-01T00:00:00.000Z',
  '2026-02-10T12:00:00.000Z',
].map(Date.parse);

// Around the rounding to whole minutes, and days or weeks.
const duration = fc.oneof(
  fc.constantFrom(0, 29_999, 30_000, 89_999, DAY),
  fc.integer({ min: -MINUTE, max: 40 * DAY }),
);
const laterOrNot = (proposedAt: number) =>
  fc.option(duration.map((ms) => new Date(proposedAt + ms).toISOString()));

/** A whole handover fact row for the handover at `index`, replacing whatever it held. */
const factRow = (index: number): fc.Arbitrary<HandoverFactRow> =>
  fc
    .record({
      from: fc.constantFrom(...AGENCIES),
      to: fc.constantFrom(...AGENCIES),
      proposedAt: fc.constantFrom(...PROPOSED_AT),
      status: fc.constantFrom('proposed', 'accepted', 'declined', 'cancelled', 'completed'),
      version: fc.integer({ min: 1, max: 20 }),
    })
    .chain((fields) =>
      fc
        .record({
          acceptedAt: laterOrNot(fields.proposedAt),
          declinedAt: laterOrNot(fields.proposedAt),
          cancelledAt: laterOrNot(fields.proposedAt),
          completedAt: laterOrNot(fields.proposedAt),
        })
        .map((times) => ({
          handover_id: HANDOVERS[index],
          case_id: HANDOVERS[index],
          from_agency: fields.from,
          to_agency: fields.to,
          status: fields.status,
          proposed_at: new Date(fields.proposedAt).toISOString(),
          accepted_at: times.acceptedAt,
          declined_at: times.declinedAt,
          cancelled_at: times.cancelledAt,
          completed_at: times.completedAt,
          stream_version: fields.version,
        })),
    );

const batch = fc
  .uniqueArray(fc.integer({ min: 0, max: HANDOVERS.length - 1 }), { minLength: 1, maxLength: 5 })
  .chain((indexes) => fc.tuple(...indexes.map(factRow)))
  .chain((rows) => fc.record({ rows: fc.constant(rows), deliveredTwice: fc.boolean() }));

const MINUTES_TO_COMPLETE = `floor(extract(epoch FROM completed_at - proposed_at) / 60 + 0.5)::integer`;

// The handover flows straight from handover_facts, by the definitions the README states.
const GROUPED = `
  WITH facts AS (
    SELECT *, to_char(proposed_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month FROM handover_facts
  ), counted AS (
    SELECT month, from_agency, to_agency, count(*)::int AS proposed,
      count(accepted_at)::int AS accepted, count(declined_at)::int AS declined,
      count(cancelled_at)::int AS cancelled, count(completed_at)::int AS completed,
      percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY ${MINUTES_TO_COMPLETE})
        AS complete_spread
    FROM facts GROUP BY 1, 2, 3
  ), minutes AS (
    SELECT month, from_agency, to_agency, jsonb_object_agg(minutes, n) AS counts
    FROM (
      SELECT month, from_agency, to_agency, ${MINUTES_TO_COMPLETE} AS minutes, count(*) AS n
      FROM facts WHERE completed_at IS NOT NULL GROUP BY 1, 2, 3, 4
    ) counted_minutes GROUP BY 1, 2, 3
  )
  SELECT c.month, c.from_agency, c.to_agency, c.proposed, c.accepted, c.declined, c.cancelled,
    c.completed, coalesce(m.counts, '{}') AS complete_minutes, c.complete_spread
  FROM counted c LEFT JOIN minutes m USING (month, from_agency, to_agency)
  ORDER BY 1, 2, 3`;

// A flow whose handovers all went elsewhere stays as a row of zeros, which queries pass over.
const KEPT = `SELECT * FROM handover_flows WHERE proposed > 0 ORDER BY 1, 2, 3`;
const LEFT_NON_ZERO = `
  SELECT count(*)::int AS n FROM handover_flows
  WHERE proposed = 0
    AND ((accepted, declined, cancelled, completed) <> (0, 0, 0, 0) OR complete_minutes <> '{}')`;

describe('handover flows summed beside the facts', () => {
  const db = freshTestDatabase({ maxConnections: 2 });
  const sql = rowTableSql(HANDOVER_FACT_PROJECTION, 'handover_facts');

  /** As the engine writes a batch: its rows locked, then the one upsert. */
  const write = (rows: HandoverFactRow[]) =>
    inTransaction(db.pool, async (client) => {
      await client.query({ ...sql.selectForUpdate, values: [rows.map((row) => row.handover_id)] });
      await client.query({ ...sql.upsert, values: upsertValues(HANDOVER_FACT_PROJECTION, rows) });
    });
  const rows = async (text: string) => (await db.pool.query<Record<string, unknown>>(text)).rows;

  it('equal a GROUP BY over the facts after any sequence of fact changes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 10 }), async (batches) => {
        await db.pool.query('TRUNCATE handover_facts, handover_flows');
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

  it('are filled from the facts alone as a rebuild fills them', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 6 }), async (batches) => {
        await db.pool.query('TRUNCATE handover_facts, handover_flows');
        for (const { rows: written } of batches) await write(written);
        await db.pool.query('TRUNCATE handover_flows');
        await db.pool.query("SELECT handover_flows_fill('handover_facts', 'handover_flows')");
        expect(await rows('SELECT * FROM handover_flows ORDER BY 1, 2, 3')).toEqual(
          await rows(GROUPED),
        );
      }),
      { numRuns: 30 },
    );
  });
});
