import { WrongExpectedVersionError } from '../event-store.errors';
import { newEvent } from '../testing/new-events';
import { freshEventStore } from '@backbone/testing/fresh-event-store';

const WRITERS = 32;
const EVENTS_PER_WRITER = 5;

describe('32 writers racing on one stream', () => {
  const db = freshEventStore({ maxConnections: WRITERS });

  it('lets exactly one of them take a version they all expected', async () => {
    const streamId = 'race-first';
    await db.store.appendToStream(streamId, 'no-stream', [newEvent()]);
    const expected = (await db.store.readStream(streamId)).length;
    const outcomes = await Promise.allSettled(
      Array.from({ length: WRITERS }, () =>
        db.store.appendToStream(streamId, expected, [newEvent()]),
      ),
    );
    const winners = outcomes.filter((o) => o.status === 'fulfilled');
    const losers = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(WRITERS - 1);
    for (const loser of losers) {
      expect(loser).toBeInstanceOf(WrongExpectedVersionError);
      expect(loser).toMatchObject({ expected: 1, actual: 2 });
    }
    expect(await db.store.readStream(streamId)).toHaveLength(2);
  });

  it('gives every version to exactly one event when each writer retries until it has appended', async () => {
    const streamId = 'race-all';
    let conflicts = 0;
    const appendedBy = await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        const mine: string[] = [];
        while (mine.length < EVENTS_PER_WRITER) {
          const version = (
            await db.store.readStream(streamId, { direction: 'backwards', limit: 1 })
          )[0]?.streamVersion;
          const event = newEvent();
          try {
            await db.store.appendToStream(streamId, version ?? 'no-stream', [event]);
            mine.push(event.eventId);
          } catch (error) {
            if (!(error instanceof WrongExpectedVersionError)) throw error;
            conflicts++;
          }
        }
        return mine;
      }),
    );

    const stored = await db.store.readStream(streamId);
    const total = WRITERS * EVENTS_PER_WRITER;
    expect(stored.map((e) => e.streamVersion)).toEqual(
      Array.from({ length: total }, (_, i) => i + 1),
    );
    expect(new Set(stored.map((e) => e.eventId))).toEqual(new Set(appendedBy.flat()));
    expect(conflicts).toBeGreaterThan(0);
    expect(await db.store.verifyStream(streamId)).toEqual({ valid: true, events: total });
  });
});
