// The ops console's quarantine API: lists what the consumers set aside (never event data),
// counts what is still quarantined (the panel's and the alert's problem), and re-applies a
// consumer's quarantined events on an operator's request; operators only.
import { randomUUID } from 'node:crypto';
import { HttpException } from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants';
import { Pool } from 'pg';
import { PostgresEventStore } from '@backbone/event-store';
import { TestDatabase, createTestDatabase } from '@backbone/testing/test-stack';
import { SessionAuthGuard } from '@backbone/http';
import { QuarantinedEventsHttpController } from './quarantined-events.http.controller';

describe('ops console: quarantined events', () => {
  let database: TestDatabase;
  let pool: Pool;
  let controller: QuarantinedEventsHttpController;
  const streamId = `referral-${randomUUID()}`;
  let eventId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new Pool({ connectionString: database.url, max: 2 });
    const store = new PostgresEventStore(pool, {});
    controller = new QuarantinedEventsHttpController(pool, store);
    eventId = randomUUID();
    await store.appendToStream(streamId, 'no-stream', [
      {
        eventId,
        type: 'referral.made.v1',
        data: { referralId: streamId.slice(9), decisionDueBy: '2099-02-31T00:00:00Z' },
        metadata: {},
      },
    ]);
    await pool.query(
      `INSERT INTO quarantined_events (consumer, event_id, global_position, stream_id, event_type, error)
       SELECT 'projector', event_id, global_position, stream_id, event_type,
              'DatabaseError 22008: date/time field value out of range: "…"'
       FROM events WHERE event_id = $1`,
      [eventId],
    );
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('is for operators only', () => {
    expect(Reflect.getMetadata(GUARDS_METADATA, QuarantinedEventsHttpController)).toEqual([
      SessionAuthGuard,
    ]);
  });

  it('lists the quarantined events and counts those still quarantined per consumer', async () => {
    const list = await controller.list();
    expect(list.pending).toEqual({ projector: 1, 'deadline-watcher': 0 });
    expect(list.items).toEqual([
      expect.objectContaining({
        consumer: 'projector',
        eventId,
        streamId,
        type: 'referral.made.v1',
        attempts: 1,
        reappliedAt: null,
      }),
    ]);
    expect(JSON.stringify(list)).not.toContain('2099');
  });

  it('re-applies on request; one that still fails stays quarantined with one more attempt', async () => {
    expect(await controller.reapply({ consumer: 'projector' })).toEqual({
      reapplied: [],
      stillFailing: [eventId],
    });
    const list = await controller.list();
    expect(list.pending.projector).toBe(1);
    expect(list.items[0].attempts).toBe(2);
    expect(await controller.reapply({ consumer: 'deadline-watcher' })).toEqual({
      reapplied: [],
      stillFailing: [],
      released: 0,
    });
  });

  it('refuses an unknown consumer with 400', async () => {
    const refused = await controller.reapply({ consumer: 'publisher' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HttpException);
    expect((refused as HttpException).getStatus()).toBe(400);
  });
});
