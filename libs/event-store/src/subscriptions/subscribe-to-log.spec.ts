import { setTimeout as sleep } from 'node:timers/promises';
import type { LogPosition, StoredEvent } from '../event-store.port';
import { START_OF_LOG } from '../event-store.port';
import { AppendListener, AppendWakeups } from './append-wakeups';
import { subscribeToLog } from './subscribe-to-log';
import { eventually } from '@backbone/testing/eventually';

const event = (position: number): StoredEvent => ({
  eventId: `id-${position}`,
  streamId: 's-1',
  streamVersion: position,
  globalPosition: String(position),
  transactionId: String(position),
  type: 't.v1',
  data: {},
  metadata: {},
  recordedAt: '2026-01-01T00:00:00.000Z',
  hash: '',
});

/** An in-memory log: `append` adds events, reads return what lies after the position. */
function fakeLog() {
  const events: StoredEvent[] = [];
  const reads: LogPosition[] = [];
  const wakeups = new AppendWakeups();
  let closed = 0;
  const listener: AppendListener = {
    get generation() {
      return wakeups.generation;
    },
    waitBeyond: (seen, ms, signal) => wakeups.waitBeyond(seen, ms, signal),
    close: async () => {
      closed++;
    },
  };
  return {
    reads,
    wakeups,
    closed: () => closed,
    append: (...positions: number[]) => events.push(...positions.map(event)),
    read: async (after: LogPosition, limit: number) => {
      reads.push(after);
      return events
        .filter((e) => Number(e.globalPosition) > Number(after.globalPosition))
        .slice(0, limit);
    },
    listen: async () => listener,
  };
}

describe('subscribeToLog', () => {
  it('reads the next page only when the consumer has taken the last event of this one', async () => {
    const log = fakeLog();
    log.append(1, 2, 3, 4, 5);
    const events = subscribeToLog(log.read, log.listen, START_OF_LOG, { batchSize: 2 });

    expect((await events.next()).value).toMatchObject({ globalPosition: '1' });
    expect(log.reads).toHaveLength(1);
    await events.next();
    await sleep(20); // the consumer dawdles: nothing more is read meanwhile
    expect(log.reads).toHaveLength(1);
    expect((await events.next()).value).toMatchObject({ globalPosition: '3' });
    expect(log.reads).toEqual([START_OF_LOG, { transactionId: '2', globalPosition: '2' }]);
    await events.return(undefined);
    expect(log.closed()).toBe(1);
  });

  it('waits when it has caught up, and a wake-up makes it look again at once', async () => {
    const log = fakeLog();
    log.append(1);
    const events = subscribeToLog(log.read, log.listen, START_OF_LOG, { pollIntervalMs: 60_000 });
    await events.next();
    const next = events.next();
    await sleep(20);
    expect(log.reads).toHaveLength(1); // a short page means caught up: it waits, it does not read
    log.append(2);
    log.wakeups.wake();
    expect((await next).value).toMatchObject({ globalPosition: '2' });
    expect(log.reads).toHaveLength(2);
    await events.return(undefined);
  });

  it('does not miss a wake-up that arrives while it is reading', async () => {
    const log = fakeLog();
    const read = log.read;
    let first = true;
    const readAndMeanwhileAppend = async (after: LogPosition, limit: number) => {
      const page = await read(after, limit);
      if (first) {
        first = false;
        log.append(1);
        log.wakeups.wake(); // committed after the query looked, before the wait began
      }
      return page;
    };
    const events = subscribeToLog(readAndMeanwhileAppend, log.listen, START_OF_LOG, {
      pollIntervalMs: 60_000,
    });
    expect((await events.next()).value).toMatchObject({ globalPosition: '1' });
    await events.return(undefined);
  });

  it('looks again after the poll interval when no wake-up comes', async () => {
    const log = fakeLog();
    const events = subscribeToLog(log.read, log.listen, START_OF_LOG, { pollIntervalMs: 30 });
    const next = events.next();
    await sleep(10);
    log.append(1); // no wake-up: only polling can find it
    expect((await next).value).toMatchObject({ globalPosition: '1' });
    await events.return(undefined);
  });

  it('looks again within milliseconds, backing off, while events are held back', async () => {
    const log = fakeLog();
    let holding = true;
    const heldBack = async () => holding;
    const events = subscribeToLog(
      log.read,
      log.listen,
      START_OF_LOG,
      { pollIntervalMs: 60_000 },
      heldBack,
    );
    const next = events.next();
    await sleep(100);
    expect(log.reads.length).toBeLessThan(20); // backing off: 2, 4, 8, 16, 32 ms apart
    // Looked again more than once, with the poll a minute away.
    await eventually(async () => (log.reads.length >= 3 ? true : undefined), 'three looks');
    holding = false;
    log.append(1); // the holder ended: no wake-up, the next look finds it
    expect((await next).value).toMatchObject({ globalPosition: '1' });
    await events.return(undefined);
  });

  it('ends when its signal aborts, also while waiting', async () => {
    const log = fakeLog();
    const stop = new AbortController();
    const events = subscribeToLog(log.read, log.listen, START_OF_LOG, {
      pollIntervalMs: 60_000,
      signal: stop.signal,
    });
    const next = events.next();
    await sleep(10);
    stop.abort();
    expect(await next).toEqual({ done: true, value: undefined });
    expect(log.closed()).toBe(1);
  });
});
