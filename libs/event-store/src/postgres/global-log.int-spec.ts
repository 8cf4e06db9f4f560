import { setTimeout as sleep } from 'node:timers/promises';
import { START_OF_LOG, StoredEvent } from '../event-store.port';
import { followGlobalLog } from '../follow-global-log';
import { newEvent, numberedEvents } from '../testing/new-events';
import { visibleInLog } from '../testing/contract/log-visibility';
import { freshEventStore } from '@backbone/testing/fresh-event-store';

const STREAMS = 1_000;
const APPENDS_PER_STREAM = 3;

/** Resolves once `events` holds `count` entries; fails with what it has after `timeoutMs`. */
async function collected(events: StoredEvent[], count: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (events.length < count) {
    if (Date.now() > deadline) throw new Error(`only ${events.length} of ${count} events arrived`);
    await sleep(20);
  }
}

/** Every event once, and each stream's events in the order of their versions. */
function expectEachOnceInStreamOrder(seen: StoredEvent[], expectedIds: Set<string>): void {
  expect(seen).toHaveLength(expectedIds.size);
  expect(new Set(seen.map((e) => e.eventId))).toEqual(expectedIds);
  const lastVersion = new Map<string, number>();
  for (const event of seen) {
    expect(event.streamVersion).toBe((lastVersion.get(event.streamId) ?? 0) + 1);
    lastVersion.set(event.streamId, event.streamVersion);
  }
}

describe('following the global log', () => {
  const db = freshEventStore({ maxConnections: 16 });

  it('orders positions as numbers, not as text (99 before 100)', async () => {
    // One transaction, so that only the positions tell the events apart: 1 … 120.
    await db.store.appendToStream('digits-1', 'no-stream', numberedEvents(120));
    await visibleInLog(db.store, 'digits-', 120); // another test's open transaction may hold it back
    const seen: StoredEvent[] = [];
    let fromPosition = START_OF_LOG;
    for (;;) {
      const page = await db.store.readAll({ fromPosition, limit: 7 });
      if (page.events.length === 0) break;
      seen.push(...page.events);
      fromPosition = page.nextPosition;
    }
    expect(seen.map((e) => e.streamVersion)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
  });

  it('delivers every event of 1,000 streams written in parallel once, in each stream’s order', async () => {
    const stop = new AbortController();
    const polled: StoredEvent[] = [];
    const subscribed: StoredEvent[] = [];
    const fromHere = (await db.store.readAll({ limit: 10_000 })).nextPosition;
    const following = followGlobalLog(
      db.store,
      fromHere,
      async (batch) => {
        polled.push(...batch.filter((e) => e.streamId.startsWith('parallel-')));
      },
      { signal: stop.signal, batchSize: 250, idleMs: 10 },
    );
    const subscribing = (async () => {
      for await (const event of db.store.subscribeToAll(fromHere, {
        signal: stop.signal,
        batchSize: 250,
        filter: { streamPrefix: 'parallel-' },
      })) {
        subscribed.push(event);
      }
    })();

    // Some appends linger in their transaction so that commits overtake each other.
    const appended = new Set<string>();
    await Promise.all(
      Array.from({ length: STREAMS }, async (_, s) => {
        for (let version = 0; version < APPENDS_PER_STREAM; version++) {
          const event = newEvent('parallel.appended.v1', { s, version });
          appended.add(event.eventId);
          const linger = (s + version) % 7 === 0 ? Math.random() * 10 : 0;
          await db.store.appendToStream(`parallel-${s}`, version, [event], {
            alsoInTransaction: linger ? () => sleep(linger) : undefined,
          });
        }
      }),
    );

    await collected(polled, appended.size);
    await collected(subscribed, appended.size);
    await sleep(200); // anything delivered twice would arrive now
    stop.abort();
    await Promise.all([following, subscribing]);

    expectEachOnceInStreamOrder(polled, appended);
    expectEachOnceInStreamOrder(subscribed, appended);
  });
});
