// Whole-store verification against the real store: tampering done in SQL (a changed field, a
// deleted event, swapped versions, a stream emptied, a record removed) is reported for exactly
// the broken streams, at the positions the per-stream verification gives; appends made while it
// runs are not mistaken for tampering.
import { randomUUID } from 'node:crypto';
import { freshEventStore } from '@backbone/testing/fresh-event-store';
import { verifyWholeStore } from './store-verification';
import { runVerifyCommand } from './verify-command';

const capture = () => {
  let text = '';
  return { write: (chunk: string) => void (text += chunk), text: () => text };
};

describe('verifying the whole store', () => {
  const db = freshEventStore({ maxConnections: 4 });
  const run = randomUUID().slice(0, 8);
  const stream = (name: string) => `tamper-${run}-${name}`;
  const names = ['intact', 'changed', 'deleted', 'swapped', 'emptied', 'unrecorded'];

  /** Six events per stream, appended round robin so the streams interleave in the log. */
  async function appendStreams(streamIds: string[], events = 6): Promise<void> {
    for (let version = 1; version <= events; version++) {
      for (const streamId of streamIds) {
        await db.store.appendToStream(streamId, version - 1 || 'no-stream', [
          {
            eventId: randomUUID(),
            type: version === 1 ? 'thing.opened.v1' : 'thing.noted.v1',
            data: { n: version, text: `note ${version} — ünïcode` },
            metadata: { actingAgency: 'randers-school', actor: 'pd1.not-really-sealed' },
          },
        ]);
      }
    }
  }

  it('finds nothing wrong with an untouched store, and says so', async () => {
    await appendStreams(names.map(stream));
    const report = await verifyWholeStore(db.pool, { pageSize: 7 });
    expect(report).toMatchObject({ streams: 6, events: 36, broken: [] });
    const out = capture();
    expect(await runVerifyCommand([], db.pool, { out, err: capture() })).toBe(0);
    expect(out.text()).toContain('36 events in 6 streams');
    expect(out.text()).toContain('every hash chain verifies');
  });

  it('reports every tampered stream at the position the per-stream verification gives', async () => {
    const sql = (text: string, name: string) => db.pool.query(text, [stream(name)]);
    await sql(
      `UPDATE events SET data = (data::jsonb || '{"n": 99}')::json WHERE stream_id = $1 AND stream_version = 3`,
      'changed',
    );
    await sql(`DELETE FROM events WHERE stream_id = $1 AND stream_version = 4`, 'deleted');
    await sql(
      `UPDATE events SET stream_version = -2 WHERE stream_id = $1 AND stream_version = 2`,
      'swapped',
    );
    await sql(
      `UPDATE events SET stream_version = 2 WHERE stream_id = $1 AND stream_version = 5`,
      'swapped',
    );
    await sql(
      `UPDATE events SET stream_version = 5 WHERE stream_id = $1 AND stream_version = -2`,
      'swapped',
    );
    await sql(`DELETE FROM events WHERE stream_id = $1`, 'emptied');
    await sql(`DELETE FROM streams WHERE stream_id = $1`, 'unrecorded');

    const expected = {
      changed: {
        valid: false,
        events: 6,
        firstBrokenAt: 3,
        reason: 'event 3 does not match its hash',
      },
      deleted: { valid: false, events: 5, firstBrokenAt: 4, reason: 'version 4 is missing' },
      emptied: { valid: false, events: 0, firstBrokenAt: 1, reason: 'the stream records 6 events' },
      swapped: {
        valid: false,
        events: 6,
        firstBrokenAt: 2,
        reason: 'event 2 does not match its hash',
      },
      unrecorded: {
        valid: false,
        events: 6,
        reason: 'events are stored for a stream that has no record',
      },
    };
    for (const [name, verdict] of Object.entries(expected)) {
      expect([name, await db.store.verifyStream(stream(name))]).toEqual([name, verdict]);
    }
    const report = await verifyWholeStore(db.pool, { pageSize: 7 });
    expect(report.broken).toEqual(
      Object.entries(expected).map(([name, verdict]) => ({ streamId: stream(name), ...verdict })),
    );
    expect(report).toMatchObject({ streams: 6, events: 29 });

    const out = capture();
    expect(await runVerifyCommand([], db.pool, { out, err: capture() })).toBe(1);
    expect(out.text()).toContain('5 broken stream(s):');
    expect(out.text()).toContain(
      `${stream('deleted')}: broken at version 4 (5 events): version 4 is missing`,
    );
    expect(out.text()).not.toContain(stream('intact'));
  });

  it('reads one snapshot: appends made while it runs are not mistaken for tampering', async () => {
    const busy = stream('busy');
    await appendStreams([busy]);
    let appending: Promise<unknown> | undefined;
    const report = await verifyWholeStore(db.pool, {
      pageSize: 3,
      onProgress: () => {
        appending ??= (async () => {
          for (let version = 6; version < 12; version++) {
            await db.store.appendToStream(busy, version, [
              { eventId: randomUUID(), type: 'thing.noted.v1', data: { version }, metadata: {} },
            ]);
          }
        })();
      },
    });
    await appending;
    expect(report.broken.map((b) => b.streamId)).not.toContain(busy);
    expect(report.events).toBe(29 + 6); // what was stored when it began
    expect((await db.store.getStream(busy))?.version).toBe(12);
  });
});
