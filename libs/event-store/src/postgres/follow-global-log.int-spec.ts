// A follower given the store's wake-ups hears of an append when it commits, not at its next
// poll: here the poll is a minute away, so only the wake-up can deliver the event in time.
// Nor does it wait for that poll when an older open transaction held the event back. A follower
// that need not be prompt (`pauseMs`) reads full batches at once, and waits after the others.
// Nor does a follower with wake-ups read again after a short batch only to find nothing.
import { Client } from 'pg';
import { START_OF_LOG, StoredEvent } from '../event-store.port';
import { followGlobalLog, positionOf } from '../follow-global-log';
import { newEvent } from '../testing/new-events';
import { eventually } from '@backbone/testing/eventually';
import { freshEventStore } from '@backbone/testing/fresh-event-store';

describe('following the global log with wake-ups', () => {
  const db = freshEventStore({ maxConnections: 4, store: { announceIntervalMs: 1 } });

  it('reads again as soon as an append commits, and stops listening when aborted', async () => {
    const stop = new AbortController();
    const seen: StoredEvent[] = [];
    let heard: () => void = () => undefined;
    const firstBatch = new Promise<void>((resolve) => (heard = resolve));
    const following = followGlobalLog(
      db.store,
      START_OF_LOG,
      async (events) => {
        seen.push(...events);
        heard();
      },
      { signal: stop.signal, idleMs: 60_000, listen: () => db.store.listenForAppends() },
    );
    await new Promise((resolve) => setTimeout(resolve, 200)); // idle, waiting
    await db.store.appendToStream('woken-1', 'no-stream', [newEvent()]);
    await firstBatch;
    expect(seen.map((e) => e.streamId)).toEqual(['woken-1']);
    stop.abort();
    await following;
  });

  /** An older transaction with an id of its own, still open: it writes no event, and its end sends no NOTIFY. */
  const openHolder = async (): Promise<Client> => {
    const holder = new Client({ connectionString: db.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT pg_current_xact_id()');
    return holder;
  };

  it('says events are unread while held back, and still once their holder ended after the read', async () => {
    const head = (await db.store.readAll({ limit: 10_000 })).nextPosition;
    const holder = await openHolder();
    try {
      await db.store.appendToStream('unread-1', 'no-stream', [newEvent()]);
      expect(await db.store.readAllAfter(head, 100)).toEqual([]); // held back
      expect(await db.store.hasUnreadAfter(head)).toBe(true);
      // The holder ends between a follower's short read and its question: the event is safe
      // now, and the answer must still send the follower back to read it.
      await holder.query('COMMIT');
      expect(await db.store.hasUnreadAfter(head)).toBe(true);
      expect(await db.store.hasUnreadAfter(head, { streamPrefix: 'other-' })).toBe(false);
      const [event] = await db.store.readAllAfter(head, 100);
      expect(event.streamId).toBe('unread-1');
      expect(await db.store.hasUnreadAfter(positionOf(event))).toBe(false);
    } finally {
      await holder.end();
    }
  });

  it('reads an event an older transaction held back as soon as that transaction ends', async () => {
    const head = (await db.store.readAll({ limit: 10_000 })).nextPosition;
    const stop = new AbortController();
    const seen: StoredEvent[] = [];
    const following = followGlobalLog(db.store, head, async (events) => void seen.push(...events), {
      signal: stop.signal,
      idleMs: 60_000,
      listen: () => db.store.listenForAppends(),
    });
    const holder = await openHolder();
    try {
      await db.store.appendToStream('held-1', 'no-stream', [newEvent()]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(seen).toEqual([]); // committed, but not safe to read past the holder
      await holder.query('COMMIT');
      // Within 5 s, far below the minute-long poll.
      await eventually(async () => (seen.length ? seen : undefined), 'the held-back event', 5_000);
      expect(seen.map((e) => e.streamId)).toEqual(['held-1']);
    } finally {
      await holder.end();
      stop.abort();
      await following;
    }
  });

  it('with a pause, reads on while batches are full and waits after one that is not', async () => {
    const head = (await db.store.readAll({ limit: 10_000 })).nextPosition;
    for (let i = 0; i < 5; i++)
      await db.store.appendToStream(`paced-${i}`, 'no-stream', [newEvent()]);
    const stop = new AbortController();
    const batches: string[][] = [];
    const following = followGlobalLog(
      db.store,
      head,
      async (events) => void batches.push(events.map((e) => e.streamId)),
      {
        signal: stop.signal,
        batchSize: 2,
        pauseMs: 60_000,
        listen: () => db.store.listenForAppends(),
      },
    );
    try {
      await eventually(async () => (batches.length === 3 ? batches : undefined), 'three batches');
      expect(batches).toEqual([['paced-0', 'paced-1'], ['paced-2', 'paced-3'], ['paced-4']]);
      // The last batch was not full: the follower pauses, wake-ups or not.
      await db.store.appendToStream('paced-5', 'no-stream', [newEvent()]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(batches).toHaveLength(3);
    } finally {
      stop.abort();
      await following; // the pause ends with the signal
    }
  });

  it('after a short batch, does not read again until something is announced', async () => {
    const head = (await db.store.readAll({ limit: 10_000 })).nextPosition;
    await db.store.appendToStream('short-1', 'no-stream', [newEvent()]);
    const reads = jest.spyOn(db.store, 'readAllAfter');
    const stop = new AbortController();
    const seen: string[] = [];
    const following = followGlobalLog(
      db.store,
      head,
      async (events) => void seen.push(...events.map((e) => e.streamId)),
      { signal: stop.signal, idleMs: 60_000, listen: () => db.store.listenForAppends() },
    );
    try {
      await eventually(async () => (seen.length ? seen : undefined), 'the first event');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(reads).toHaveBeenCalledTimes(1); // the short batch's read, and no empty one after
      await db.store.appendToStream('short-2', 'no-stream', [newEvent()]);
      await eventually(async () => (seen.length === 2 ? seen : undefined), 'the second event');
      expect(seen).toEqual(['short-1', 'short-2']);
    } finally {
      reads.mockRestore();
      stop.abort();
      await following;
    }
  });
});
