import { randomUUID } from 'node:crypto';
import { chainHash } from '../hash-chain';
import { numberedEvents } from '../testing/new-events';
import { freshEventStore } from '@backbone/testing/fresh-event-store';

// Tampering as someone with write access to the database would do it, behind the store's back.
const ALTER_DATA = `UPDATE events SET data = '{"n": 99}' WHERE stream_id = $1 AND stream_version = $2`;
const ALTER_TYPE = `UPDATE events SET event_type = 'thing.forged.v1' WHERE stream_id = $1 AND stream_version = $2`;
const ALTER_HASH = `UPDATE events SET hash = sha256(hash) WHERE stream_id = $1 AND stream_version = $2`;
const DELETE = `DELETE FROM events WHERE stream_id = $1 AND stream_version = $2`;
// Versions move through negative numbers so that (stream_id, stream_version) stays unique.
const PARK_FROM = `UPDATE events SET stream_version = -stream_version - 1 WHERE stream_id = $1 AND stream_version >= $2`;
const UNPARK = `UPDATE events SET stream_version = -stream_version WHERE stream_id = $1 AND stream_version < 0`;
const MOVE = `UPDATE events SET stream_version = $3 WHERE stream_id = $1 AND stream_version = $2`;
const INSERT = `
  INSERT INTO events (event_id, stream_id, stream_version, event_type, data, metadata, recorded_at, hash)
  VALUES ($1, $2, $3, 'thing.counted.v1', $4, '{}', $5, $6)`;
const HASH_AT = `SELECT hash FROM events WHERE stream_id = $1 AND stream_version = $2`;

describe('verifyStream against tampering in SQL', () => {
  const db = freshEventStore({ maxConnections: 4 });
  let n = 0;

  /** A fresh stream of six events, found valid before it is tampered with. */
  async function sixEvents(): Promise<string> {
    const streamId = `ledger-${++n}`;
    const events = numberedEvents(6);
    await db.store.appendToStream(streamId, 'no-stream', events.slice(0, 3));
    await db.store.appendToStream(streamId, 3, events.slice(3));
    expect(await db.store.verifyStream(streamId)).toEqual({ valid: true, events: 6 });
    return streamId;
  }

  /** Makes room at `version` by moving it and every later event one version up. */
  async function shiftUpFrom(streamId: string, version: number): Promise<void> {
    await db.pool.query(PARK_FROM, [streamId, version]);
    await db.pool.query(UNPARK, [streamId]);
  }

  async function swap(streamId: string, a: number, b: number): Promise<void> {
    await db.pool.query(MOVE, [streamId, a, -1]);
    await db.pool.query(MOVE, [streamId, b, a]);
    await db.pool.query(MOVE, [streamId, -1, b]);
  }

  async function forge(streamId: string, version: number, hash: Buffer): Promise<void> {
    await db.pool.query(INSERT, [
      randomUUID(),
      streamId,
      version,
      '{"n": 0}',
      new Date().toISOString(),
      hash,
    ]);
  }

  it('detects altered data at the altered event', async () => {
    const streamId = await sixEvents();
    await db.pool.query(ALTER_DATA, [streamId, 3]);
    expect(await db.store.verifyStream(streamId)).toMatchObject({ valid: false, firstBrokenAt: 3 });
  });

  it('detects an altered type at the altered event', async () => {
    const streamId = await sixEvents();
    await db.pool.query(ALTER_TYPE, [streamId, 1]);
    expect(await db.store.verifyStream(streamId)).toMatchObject({ valid: false, firstBrokenAt: 1 });
  });

  it('detects an altered hash at that event', async () => {
    const streamId = await sixEvents();
    await db.pool.query(ALTER_HASH, [streamId, 5]);
    expect(await db.store.verifyStream(streamId)).toMatchObject({ valid: false, firstBrokenAt: 5 });
  });

  it('detects a deleted event at its version', async () => {
    const streamId = await sixEvents();
    await db.pool.query(DELETE, [streamId, 4]);
    expect(await db.store.verifyStream(streamId)).toMatchObject({
      valid: false,
      events: 5,
      firstBrokenAt: 4,
    });
  });

  it('detects a deleted last event at its version', async () => {
    const streamId = await sixEvents();
    await db.pool.query(DELETE, [streamId, 6]);
    expect(await db.store.verifyStream(streamId)).toMatchObject({ valid: false, firstBrokenAt: 6 });
  });

  it('detects a forged event appended at the end, even with a well-chained hash', async () => {
    const streamId = await sixEvents();
    const last = (await db.store.readStream(streamId))[5];
    const recordedAt = new Date().toISOString();
    const hash = chainHash(Buffer.from(last.hash, 'hex'), {
      eventId: randomUUID(),
      streamId,
      streamVersion: 7,
      type: 'thing.counted.v1',
      data: { n: 0 },
      metadata: {},
      recordedAt,
    });
    await forge(streamId, 7, hash);
    expect(await db.store.verifyStream(streamId)).toMatchObject({ valid: false, firstBrokenAt: 7 });
  });

  it('detects a forged event inserted in the middle at the forged event', async () => {
    const streamId = await sixEvents();
    await shiftUpFrom(streamId, 3);
    await forge(streamId, 3, Buffer.alloc(32, 7));
    expect(await db.store.verifyStream(streamId)).toMatchObject({ valid: false, firstBrokenAt: 3 });
  });

  it('detects a forged event with a well-chained hash at the event after it', async () => {
    const streamId = await sixEvents();
    const { rows } = await db.pool.query<{ hash: Buffer }>(HASH_AT, [streamId, 2]);
    await shiftUpFrom(streamId, 3);
    const eventId = randomUUID();
    const recordedAt = new Date().toISOString();
    const content = { eventId, streamId, streamVersion: 3, type: 'thing.counted.v1' };
    const hash = chainHash(rows[0].hash, { ...content, data: { n: 0 }, metadata: {}, recordedAt });
    await db.pool.query(INSERT, [eventId, streamId, 3, '{"n": 0}', recordedAt, hash]);
    // The forgery itself chains; the original third event, now fourth, no longer does.
    expect(await db.store.verifyStream(streamId)).toMatchObject({ valid: false, firstBrokenAt: 4 });
  });

  it('detects two events swapped at the first of them', async () => {
    const streamId = await sixEvents();
    await swap(streamId, 2, 5);
    const order = (await db.store.readStream(streamId)).map((e) => e.data.n);
    expect(order).toEqual([1, 5, 3, 4, 2, 6]);
    expect(await db.store.verifyStream(streamId)).toMatchObject({ valid: false, firstBrokenAt: 2 });
  });
});
