// DESIGN invariant 10 for events already stored: an event the read models cannot take (a date
// PostgreSQL's timestamptz refuses, written before validation caught it) is quarantined, and
// the projector applies everything around it; a rebuild passes over it the same way and gives
// the same model; an operator re-applies it after a fix. Without the quarantine the projector
// retries the failing group for ever and nothing after it is applied.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { register } from 'prom-client';
import {
  CASE_CLOSED_V1,
  CASE_OPENED_V1,
  HANDOVER_PROPOSED_V1,
  REFERRAL_MADE_V1,
} from '@backbone/contracts';
import { PostgresEventStore, START_OF_LOG, StoredEvent } from '@backbone/event-store';
import { toPublishedEvent } from '@backbone/publisher';
import { eventually } from '@backbone/testing/eventually';
import { projectorTestBed } from '@backbone/testing/projector-test-bed';
import { reapplyQuarantinedEvents } from '../quarantine/reapply-quarantined';
import { rebuildReadModels } from '../rebuild/rebuild-read-model';
import { CaseViewRow, evolveCaseView } from '../models/case-views/case-view.fold';
import type { ProjectedEvent } from './projected-event';
import { READ_MODELS } from './read-models';
import type { ProjectionRow } from './row-projection';

const NOT_A_DATE = '2099-02-31T00:00:00Z';
const OFFSET_TOO_FAR = '2099-01-01T00:00:00+20:00';

const referralMade = (referralId: string, decisionDueBy: string) => ({
  referralId,
  from: 'randers-school',
  to: 'randers-social',
  category: 'child-social-care',
  priority: 'urgent',
  decisionDueBy,
});

const metricValue = async (name: string, consumer: string): Promise<number> => {
  const metric = register.getSingleMetric(name);
  const values = metric ? (await metric.get()).values : [];
  return values.find((v) => v.labels.consumer === consumer)?.value ?? 0;
};

describe('quarantine of stored events the read models cannot take', () => {
  const bed = projectorTestBed('quarantine', { eventPartitions: 1 });
  let store: PostgresEventStore;
  const validReferrals = [randomUUID(), randomUUID(), randomUUID()];
  const hostileReferral = randomUUID();
  const caseId = randomUUID();
  const handoverId = randomUUID();
  let published = 0;

  beforeAll(async () => {
    store = new PostgresEventStore(bed.pool, {});

    // Data written before the fix: the store takes what the contracts let through.
    const append = (streamId: string, type: string, data: Record<string, unknown>) =>
      store.appendToStream(streamId, 'any', [
        { eventId: randomUUID(), type, data, metadata: { actingAgency: 'randers-school' } },
      ]);
    await append(`referral-${validReferrals[0]}`, REFERRAL_MADE_V1, {
      ...referralMade(validReferrals[0], '2099-03-01T00:00:00Z'),
    });
    await append(`case-${caseId}`, CASE_OPENED_V1, {
      caseId,
      responsible: 'randers-social',
    });
    await append(`referral-${hostileReferral}`, REFERRAL_MADE_V1, {
      ...referralMade(hostileReferral, NOT_A_DATE),
    });
    await append(`referral-${validReferrals[1]}`, REFERRAL_MADE_V1, {
      ...referralMade(validReferrals[1], '2099-03-02T00:00:00Z'),
    });
    await append(`case-${caseId}`, HANDOVER_PROPOSED_V1, {
      handoverId,
      caseId,
      from: 'randers-social',
      to: 'aarhus-social',
      reason: 'moved',
      summary: 'moving',
      effectiveAt: OFFSET_TOO_FAR,
    });
    await append(`case-${caseId}`, CASE_CLOSED_V1, { caseId, reason: 'closed' });
    await append(`referral-${validReferrals[2]}`, REFERRAL_MADE_V1, {
      ...referralMade(validReferrals[2], '2099-03-03T00:00:00Z'),
    });
    const stored = await eventually(async () => {
      const page = await store.readAll({ fromPosition: START_OF_LOG, limit: 100 });
      return page.events.length === 7 ? page.events : undefined;
    }, 'the seven events below the horizon');
    await publish(stored);
  });

  /** As the publisher does: one partition here, so every stream shares it. */
  async function publish(events: StoredEvent[]): Promise<void> {
    const producer = new Kafka({
      brokers: bed.settings.kafkaBrokers,
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
    try {
      await producer.send({
        topic: bed.topics.events,
        messages: events.map((event) => ({
          key: event.streamId,
          value: JSON.stringify(toPublishedEvent(event)),
        })),
      });
    } finally {
      await producer.disconnect();
    }
    published += events.length;
  }

  const storedOffset = async (): Promise<number | undefined> => {
    const { rows } = await bed.pool.query<{ next_offset: string }>(
      'SELECT next_offset::text AS next_offset FROM projector_offsets WHERE topic = $1',
      [bed.topics.events],
    );
    return rows[0] && Number(rows[0].next_offset);
  };
  const model = async (): Promise<{ referrals: unknown[]; cases: unknown[] }> => ({
    referrals: (await bed.pool.query('SELECT * FROM referral_views ORDER BY referral_id')).rows,
    cases: (await bed.pool.query('SELECT * FROM case_views ORDER BY case_id')).rows,
  });
  const quarantined = async () =>
    (
      await bed.pool.query<{
        event_type: string;
        stream_id: string;
        error: string;
        attempts: number;
        reapplied_at: Date | null;
      }>(
        `SELECT event_type, stream_id, error, attempts, reapplied_at FROM quarantined_events
         WHERE consumer = 'projector' ORDER BY global_position`,
      )
    ).rows;

  it('quarantines the events it cannot apply and applies every other one around them', async () => {
    const consumer = bed.newConsumer();
    await consumer.onApplicationBootstrap();
    try {
      await eventually(
        async () => ((await storedOffset()) === published ? true : undefined),
        `the projector past all ${published} records`,
      );
    } finally {
      await consumer.onApplicationShutdown();
    }
    const { rows: referrals } = await bed.pool.query<{ referral_id: string }>(
      'SELECT referral_id FROM referral_views ORDER BY referral_id',
    );
    expect(referrals.map((r) => r.referral_id)).toEqual([...validReferrals].sort());
    const { rows: cases } = await bed.pool.query(
      'SELECT status, stream_version, handover_id FROM case_views WHERE case_id = $1',
      [caseId],
    );
    // The close after the quarantined proposal is applied; the proposal is not.
    expect(cases).toEqual([{ status: 'closed', stream_version: 3, handover_id: null }]);

    const rows = await quarantined();
    expect(rows.map((r) => [r.event_type, r.stream_id])).toEqual([
      [REFERRAL_MADE_V1, `referral-${hostileReferral}`],
      [HANDOVER_PROPOSED_V1, `case-${caseId}`],
    ]);
    for (const row of rows) {
      expect(row.error).toMatch(/22008|22009/);
      // The class and reason only: never the refused value (event data).
      expect(row.error).not.toContain('2099');
      expect(row.reapplied_at).toBeNull();
    }
    expect(await metricValue('backbone_events_quarantined_total', 'projector')).toBe(2);
    expect(await metricValue('backbone_quarantined_events', 'projector')).toBe(2);
  });

  it('rebuilds exactly the model live processing built, passing over the quarantined events', async () => {
    const live = await model();
    await rebuildReadModels(bed.pool, Object.values(READ_MODELS));
    expect(await model()).toEqual(live);
  });

  it('rebuilds the same model when it meets an unapplicable event the projector has not quarantined', async () => {
    const live = await model();
    await bed.pool.query("DELETE FROM quarantined_events WHERE consumer = 'projector'");
    await rebuildReadModels(bed.pool, Object.values(READ_MODELS));
    expect(await model()).toEqual(live);
    expect((await quarantined()).map((r) => r.event_type)).toEqual([
      REFERRAL_MADE_V1,
      HANDOVER_PROPOSED_V1,
    ]);
  });

  it('re-applies a quarantined event after a fix, once; one that still fails stays quarantined', async () => {
    // "The fix": the case fold now leaves out an effective time PostgreSQL cannot store.
    const projection = READ_MODELS['case-views'].projection;
    const unfixed = (row: ProjectionRow | undefined, event: ProjectedEvent) =>
      evolveCaseView(row as CaseViewRow | undefined, event) as ProjectionRow | undefined;
    projection.evolve = (row, event: ProjectedEvent) => {
      const data = event.data as { effectiveAt?: string };
      return unfixed(
        row,
        data?.effectiveAt === OFFSET_TOO_FAR
          ? { ...event, data: { ...data, effectiveAt: undefined } }
          : event,
      );
    };
    try {
      const report = await reapplyQuarantinedEvents(bed.pool, store);
      expect(report.reapplied).toHaveLength(1);
      expect(report.stillFailing).toHaveLength(1);
      const rows = await quarantined();
      expect(rows[0]).toMatchObject({
        event_type: REFERRAL_MADE_V1,
        attempts: 2,
        reapplied_at: null,
      });
      expect(rows[1]).toMatchObject({ event_type: HANDOVER_PROPOSED_V1, attempts: 2 });
      expect(rows[1].reapplied_at).toBeInstanceOf(Date);
      // In its turn: proposed, then closed (the close keeps the handover it found).
      const { rows: cases } = await bed.pool.query(
        `SELECT status, stream_version, handover_id, handover_status, handover_effective_at
         FROM case_views WHERE case_id = $1`,
        [caseId],
      );
      expect(cases).toEqual([
        {
          status: 'closed',
          stream_version: 3,
          handover_id: handoverId,
          handover_status: 'proposed',
          handover_effective_at: null,
        },
      ]);
      expect(await metricValue('backbone_quarantined_events', 'projector')).toBe(1);

      // Once: again changes nothing, and the projector meeting its record again changes nothing.
      const before = await model();
      expect(await reapplyQuarantinedEvents(bed.pool, store)).toEqual({
        reapplied: [],
        stillFailing: [expect.any(String)],
      });
      expect(await model()).toEqual(before);
      // A rebuild now takes the re-applied event in, and gives the same model.
      await rebuildReadModels(bed.pool, Object.values(READ_MODELS));
      expect(await model()).toEqual(before);
    } finally {
      projection.evolve = unfixed;
    }
  });
});
