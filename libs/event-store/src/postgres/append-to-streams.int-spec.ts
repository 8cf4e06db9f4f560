import {
  EventIdsAlreadyStoredError,
  StreamClosedError,
  WrongExpectedVersionError,
} from '../event-store.errors';
import { newEvent } from '../testing/new-events';
import { freshEventStore } from '@backbone/testing/fresh-event-store';

describe('appending to several streams in one round trip', () => {
  const db = freshEventStore({ maxConnections: 4 });

  it('appends each stream as a single append would, chained and verifiable', async () => {
    await db.store.appendToStream('many-a', 'no-stream', [newEvent('thing.made.v1', { n: 0 })]);
    const results = await db.store.appendToStreams([
      { streamId: 'many-a', expected: 1, events: [newEvent('thing.changed.v1', { n: 1 })] },
      {
        streamId: 'many-b',
        expected: 'no-stream',
        events: [newEvent('thing.made.v1', { n: 2 }), newEvent('thing.changed.v1', { n: 3 })],
      },
      { streamId: 'many-c', expected: 'any', events: [newEvent('thing.made.v1', { n: 4 })] },
    ]);

    expect(results.map((r) => [r.streamId, r.streamVersion])).toEqual([
      ['many-a', 2],
      ['many-b', 2],
      ['many-c', 1],
    ]);
    const b = await db.store.readStream('many-b');
    expect(b.map((e) => [e.streamVersion, e.data.n])).toEqual([
      [1, 2],
      [2, 3],
    ]);
    expect(results[1].events.map((e) => e.globalPosition)).toEqual(b.map((e) => e.globalPosition));
    for (const streamId of ['many-a', 'many-b', 'many-c']) {
      expect((await db.store.verifyStream(streamId)).valid).toBe(true);
    }
  });

  it('stores nothing when one stream is not at the expected version, and names that stream', async () => {
    await db.store.appendToStream('race-b', 'no-stream', [newEvent()]);
    const attempt = db.store.appendToStreams([
      { streamId: 'race-a', expected: 'no-stream', events: [newEvent()] },
      { streamId: 'race-b', expected: 'no-stream', events: [newEvent()] },
    ]);
    await expect(attempt).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await expect(attempt).rejects.toMatchObject({ streamId: 'race-b', actual: 1 });
    expect(await db.store.getStream('race-a')).toBeUndefined();
    expect(await db.store.readStream('race-b')).toHaveLength(1);
  });

  it('refuses event ids already stored, and a closed stream by name', async () => {
    const stored = newEvent();
    await db.store.appendToStream('reused-a', 'no-stream', [stored]);
    await expect(
      db.store.appendToStreams([{ streamId: 'reused-b', expected: 'any', events: [stored] }]),
    ).rejects.toBeInstanceOf(EventIdsAlreadyStoredError);

    await db.store.appendToStream('closed-b', 'no-stream', [newEvent()]);
    await db.store.closeStream('closed-b');
    await expect(
      db.store.appendToStreams([
        { streamId: 'closed-a', expected: 'any', events: [newEvent()] },
        { streamId: 'closed-b', expected: 'any', events: [newEvent()] },
      ]),
    ).rejects.toEqual(new StreamClosedError('closed-b'));
    expect(await db.store.getStream('closed-a')).toBeUndefined();
  });

  it("appends inside the caller's transaction and rolls back with it", async () => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await db.store.appendToStreams(
        [{ streamId: 'inside-a', expected: 'no-stream', events: [newEvent()] }],
        { client, announcedByCaller: true },
      );
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect(await db.store.getStream('inside-a')).toBeUndefined();
  });
});
