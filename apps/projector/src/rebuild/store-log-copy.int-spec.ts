// The rebuild's bulk reader of the log hands projections exactly what the publisher would have
// sent them: the events the store's own readAll returns, in its order, with the same type,
// subject, time, version and data, whatever characters the data holds and wherever COPY's
// chunks happen to cut a line.
import { randomUUID } from 'node:crypto';
import { LogPosition, START_OF_LOG, StoredEvent, UpcasterRegistry } from '@backbone/event-store';
import { toPublishedEvent } from '@backbone/publisher';
import { eventually } from '@backbone/testing/eventually';
import { freshEventStore } from '@backbone/testing/fresh-event-store';
import { CopyLogOptions, LoggedEvent, copyLogAfter } from './store-log-copy';

const TYPES = ['referral.made.v1', 'referral.noted.v1', 'case.opened.v1'];

describe('reading the log in bulk for a rebuild', () => {
  const db = freshEventStore({ maxConnections: 4 });

  beforeAll(async () => {
    const awkward = 'quote " backslash \\ newline \n tab \t return \r unicode ø 😀 \\n';
    for (let i = 0; i < 60; i++) {
      const id = randomUUID();
      await db.store.appendToStream(`${i % 3 === 2 ? 'case' : 'referral'}-${id}`, 'no-stream', [
        {
          eventId: randomUUID(),
          type: TYPES[i % 3],
          // Large enough that COPY's chunks cut lines, and full of what COPY must escape.
          data: { id, text: `${awkward} ${'x'.repeat((i * 997) % 9_000)}`, n: i },
          metadata: { actingAgency: 'randers-school' },
        },
        {
          eventId: randomUUID(),
          type: 'referral.noted.v1',
          data: { id, text: awkward },
          metadata: {},
        },
      ]);
    }
    // Followers read below the oldest transaction running in the cluster, which other work
    // on this PostgreSQL server may hold back for a moment.
    await eventually(
      async () => ((await storeEvents()).length === 120 ? true : undefined),
      'every appended event below the horizon',
    );
  });

  async function storeEvents(after: LogPosition = START_OF_LOG): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    for (let position = after; ;) {
      const page = await db.store.readAll({ fromPosition: position, limit: 50 });
      if (!page.events.length) return events;
      events.push(...page.events);
      position = page.nextPosition;
    }
  }

  async function copied(
    after: LogPosition,
    options: Partial<CopyLogOptions> = {},
  ): Promise<{ events: LoggedEvent[]; last: LogPosition }> {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN READ ONLY');
      const events: LoggedEvent[] = [];
      let last = after;
      for await (const batch of copyLogAfter(client, after, {
        storedTypes: TYPES,
        batchSize: 7,
        ...options,
      })) {
        events.push(...batch.events);
        last = batch.last;
      }
      await client.query('COMMIT');
      return { events, last };
    } finally {
      client.release();
    }
  }

  const asProjected = (e: { type: string; subject: string; time: string; data: unknown }) => ({
    type: e.type,
    subject: e.subject,
    time: e.time,
    data: e.data,
  });

  it('reads what readAll reads, field for field, and where it ends', async () => {
    const expected = await storeEvents();
    const { events, last } = await copied(START_OF_LOG);
    expect(events.map(asProjected)).toEqual(expected.map(toPublishedEvent).map(asProjected));
    expect(events.map((e) => e.streamversion)).toEqual(expected.map((e) => e.streamVersion));
    const end = expected[expected.length - 1];
    expect(last).toEqual({ transactionId: end.transactionId, globalPosition: end.globalPosition });
  });

  it('reads on from a position, and only the types asked for', async () => {
    const all = await storeEvents();
    const middle = all[50];
    const after = { transactionId: middle.transactionId, globalPosition: middle.globalPosition };
    const { events } = await copied(after, { storedTypes: ['case.opened.v1'] });
    const expected = (await storeEvents(after)).filter((e) => e.type === 'case.opened.v1');
    expect(expected.length).toBeGreaterThan(5);
    expect(events.map((e) => e.subject)).toEqual(expected.map((e) => toPublishedEvent(e).subject));
  });

  it('upcasts old stored versions as the store does', async () => {
    const upcasters = new UpcasterRegistry().register('referral.noted', 1, (data) => ({
      ...data,
      upcast: true,
    }));
    const { events } = await copied(START_OF_LOG, {
      upcasters,
      upcastTypes: new Set(['referral.noted.v1']),
    });
    const noted = events.filter((e) => e.type === 'referral.noted.v2');
    expect(noted.length).toBe(80);
    expect(noted[0].data).toMatchObject({ upcast: true });
    expect(events.some((e) => e.type === 'referral.noted.v1')).toBe(false);
  });
});
