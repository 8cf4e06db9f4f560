import { setTimeout as sleep } from 'node:timers/promises';
import { PoolClient } from 'pg';
import { START_OF_LOG, StoredEvent } from '../event-store.port';
import { newEvent } from '../testing/new-events';
import { freshEventStore } from '@backbone/testing/fresh-event-store';

const FAST_APPENDS = 200;

// What a follower paging by global position alone would read: the classic sequence-gap bug.
const NAIVE_READ = `
  SELECT global_position::text AS position FROM events
  WHERE global_position > $1 ORDER BY global_position`;

describe('a slow transaction that appends while many fast ones commit', () => {
  const db = freshEventStore({ maxConnections: 8 });

  it('is delivered to a follower once it commits; none of the events is skipped', async () => {
    const stop = new AbortController();
    const delivered: StoredEvent[] = [];
    const following = (async () => {
      for await (const event of db.store.subscribeToAll(START_OF_LOG, {
        signal: stop.signal,
        pollIntervalMs: 50,
      })) {
        delivered.push(event);
      }
    })();

    const slowClient: PoolClient = await db.pool.connect();
    let naiveCheckpoint = '0';
    try {
      await slowClient.query('BEGIN');
      const slowEvent = newEvent('slow.appended.v1');
      const slow = await db.store.appendToStream('slow-1', 'no-stream', [slowEvent], {
        client: slowClient,
      });

      const fastIds = new Set<string>();
      for (let i = 0; i < FAST_APPENDS; i++) {
        const event = newEvent('fast.appended.v1', { i });
        fastIds.add(event.eventId);
        await db.store.appendToStream(`fast-${i % 10}`, 'any', [event]);
      }
      // Every fast event has committed with a position after the slow one's.
      const naive = await db.pool.query<{ position: string }>(NAIVE_READ, [naiveCheckpoint]);
      expect(naive.rows).toHaveLength(FAST_APPENDS);
      expect(BigInt(naive.rows[0].position)).toBeGreaterThan(BigInt(slow.events[0].globalPosition));
      naiveCheckpoint = naive.rows[naive.rows.length - 1].position;

      // The follower holds them back: the slow transaction is older and still open.
      await sleep(300);
      expect(delivered).toEqual([]);

      await slowClient.query('COMMIT');
      const deadline = Date.now() + 30_000;
      while (delivered.length < FAST_APPENDS + 1 && Date.now() < deadline) await sleep(20);
      await sleep(200); // anything delivered twice would arrive now
      stop.abort();
      await following;

      expect(delivered).toHaveLength(FAST_APPENDS + 1);
      expect(delivered[0].eventId).toBe(slowEvent.eventId);
      expect(new Set(delivered.slice(1).map((e) => e.eventId))).toEqual(fastIds);
      // A position-only reader has already passed the slow event by and never sees it.
      const naiveAfter = await db.pool.query<{ position: string }>(NAIVE_READ, [naiveCheckpoint]);
      expect(naiveAfter.rows).toEqual([]);
    } finally {
      await slowClient.query('ROLLBACK').catch(() => undefined);
      slowClient.release();
      stop.abort();
    }
  });
});
