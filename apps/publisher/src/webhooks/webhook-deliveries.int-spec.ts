import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { MasterKeyring } from '@backbone/data-protection';
import type { StoredEvent } from '@backbone/event-store';
import { freshTestDatabase } from '@backbone/testing/fresh-test-database';
import { ClaimedDelivery, WebhookDeliveries } from './webhook-deliveries.store';
import { newWebhookSecret } from './webhook-secrets';
import { WebhookSubscriptions, newSubscriptionId } from './webhook-subscriptions.store';

const breaker = { threshold: 3, cooldownMs: 60_000 };
const result = (status?: number) => ({ startedAt: new Date(), durationMs: 5, status });

const eventOf = (streamId: string, version: number, position: number): StoredEvent => ({
  eventId: randomUUID(),
  type: 'referral.noted.v1',
  data: {},
  metadata: { parties: ['randers-social'] },
  streamId,
  streamVersion: version,
  globalPosition: String(position),
  transactionId: String(1000 + position),
  recordedAt: new Date().toISOString(),
  hash: 'x',
});

describe('webhook deliveries in PostgreSQL', () => {
  const db = freshTestDatabase({
    maxConnections: 12,
    over: ({ pool }) => ({
      subscriptions: new WebhookSubscriptions(
        pool,
        new MasterKeyring({ id: 'k', key: Buffer.alloc(32, 1) }),
      ),
      deliveries: new WebhookDeliveries(pool),
    }),
  });

  /** A subscription with these events queued, in this order. */
  const queued = async (events: StoredEvent[]) => {
    const { id } = await db.subscriptions.create({
      id: newSubscriptionId(),
      agencyId: 'randers-social',
      url: 'https://hooks.example.org/x',
      types: null,
      origin: 'api',
      secret: newWebhookSecret(),
    });
    const last = events[events.length - 1];
    const n = await db.deliveries.queue(id, async () => ({
      events,
      nextPosition: { transactionId: last.transactionId, globalPosition: last.globalPosition },
    }));
    expect(n).toBe(events.length);
    return id;
  };

  it('hands out only the earliest unfinished delivery of each stream; other streams go on', async () => {
    const [a1, a2, b1, a3] = [
      eventOf('referral-a', 1, 1),
      eventOf('referral-a', 2, 2),
      eventOf('referral-b', 1, 3),
      eventOf('referral-a', 3, 4),
    ];
    const id = await queued([a1, a2, b1, a3]);
    const first = await db.deliveries.claim(id, 10, 60_000);
    expect(first.map((d) => d.eventId)).toEqual([a1.eventId, b1.eventId]);
    // While a1 is out (leased), nothing more of referral-a.
    expect(await db.deliveries.claim(id, 10, 60_000)).toEqual([]);
    await db.deliveries.recordSuccess(first[0], result(200));
    const second = await db.deliveries.claim(id, 10, 60_000);
    expect(second.map((d) => d.eventId)).toEqual([a2.eventId]);
    // A failure keeps the stream held until the retry succeeds.
    await db.deliveries.recordFailure(second[0], result(503), new Date(), breaker);
    const retried = await db.deliveries.claim(id, 10, 60_000);
    expect(retried.map((d) => [d.eventId, d.attempt])).toEqual([[a2.eventId, 2]]);
    // Parked: the later one waits until re-driven.
    await db.deliveries.recordFailure(retried[0], result(500), undefined, breaker);
    expect(await db.deliveries.claim(id, 10, 60_000)).toEqual([]);
    expect((await db.subscriptions.list('randers-social')).find((s) => s.id === id)).toMatchObject({
      status: 'failing',
      parked: 1,
    });
    expect(await db.deliveries.redrive(id)).toBe(1);
    const redriven = await db.deliveries.claim(id, 10, 60_000);
    expect(redriven.map((d) => d.eventId)).toEqual([a2.eventId]);
    await db.deliveries.recordSuccess(redriven[0], result(204));
    expect((await db.deliveries.claim(id, 10, 60_000)).map((d) => d.eventId)).toEqual([a3.eventId]);
  });

  it('never hands one delivery to two claimers at once', async () => {
    const events = Array.from({ length: 60 }, (_, i) => eventOf(`referral-${i}`, 1, 100 + i));
    const id = await queued(events);
    const claims = await Promise.all(
      Array.from({ length: 8 }, () => db.deliveries.claim(id, 10, 60_000)),
    );
    const claimed = claims.flat().map((d: ClaimedDelivery) => d.eventId);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.length).toBeLessThanOrEqual(60);
  });

  it('opens the circuit after failures in a row, and closes it on a success', async () => {
    const events = Array.from({ length: 4 }, (_, i) => eventOf(`case-${i}`, 1, 200 + i));
    const id = await queued(events);
    const claimed = await db.deliveries.claim(id, 4, 60_000);
    for (const delivery of claimed.slice(0, 3)) {
      await db.deliveries.recordFailure(
        delivery,
        result(503),
        new Date(Date.now() + 60_000),
        breaker,
      );
    }
    const open = (await db.subscriptions.get('randers-social', id))!;
    expect(open.circuitOpenUntil).not.toBeNull();
    expect((await db.deliveries.dueSubscriptions(breaker)).map((s) => s.id)).not.toContain(id);
    await db.deliveries.recordSuccess(claimed[3], result(200));
    expect((await db.subscriptions.get('randers-social', id))!).toMatchObject({
      circuitOpenUntil: null,
      consecutiveFailures: 0,
    });
  });

  it('queues each event once per subscription, however often the same read comes back', async () => {
    const event = eventOf('referral-z', 1, 300);
    const id = await queued([event]);
    const again = await db.deliveries.queue(id, async () => ({
      events: [event],
      nextPosition: { transactionId: event.transactionId, globalPosition: event.globalPosition },
    }));
    expect(again).toBe(1); // offered again, inserted not
    expect((await db.deliveries.log(id, 10)).length).toBe(1);
  });

  it('reads the events without holding a connection: a one-connection pool still queues', async () => {
    // The store's read takes a connection of the same pool. Read inside the queuing
    // transaction, it waited for good once attempts had taken every other connection.
    const pool = new Pool({ connectionString: db.url, max: 1 });
    try {
      const deliveries = new WebhookDeliveries(pool);
      const { id } = await db.subscriptions.create({
        id: newSubscriptionId(),
        agencyId: 'randers-social',
        url: 'https://hooks.example.org/y',
        types: null,
        origin: 'api',
        secret: newWebhookSecret(),
      });
      const event = eventOf('referral-pool', 1, 400);
      const queued = await deliveries.queue(id, async () => {
        await pool.query('SELECT 1');
        return {
          events: [event],
          nextPosition: {
            transactionId: event.transactionId,
            globalPosition: event.globalPosition,
          },
        };
      });
      expect(queued).toBe(1);
    } finally {
      await pool.end();
    }
  }, 15_000);

  it('queues nothing when the cursor moved during the read, and reads again from the new one', async () => {
    const first = eventOf('referral-race', 1, 500);
    const id = await queued([first]);
    const late = eventOf('referral-race', 2, 501);
    const lost = await db.deliveries.queue(id, async () => {
      // Another queuer moves the cursor past `late` while this read is under way.
      await db.deliveries.queue(id, async () => ({
        events: [late],
        nextPosition: { transactionId: late.transactionId, globalPosition: late.globalPosition },
      }));
      return {
        events: [late],
        nextPosition: { transactionId: late.transactionId, globalPosition: late.globalPosition },
      };
    });
    expect(lost).toBe(0);
    let readFrom: unknown;
    await db.deliveries.queue(id, async (after) => {
      readFrom = after;
      return { events: [], nextPosition: after };
    });
    expect(readFrom).toEqual({
      transactionId: late.transactionId,
      globalPosition: late.globalPosition,
    });
    expect((await db.deliveries.log(id, 10)).map((d) => d.eventId).sort()).toEqual(
      [first.eventId, late.eventId].sort(),
    );
  });
});
