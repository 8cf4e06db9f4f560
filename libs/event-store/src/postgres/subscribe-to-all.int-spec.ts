import { setTimeout as sleep } from 'node:timers/promises';
import { START_OF_LOG, StoredEvent, SubscribeOptions } from '../event-store.port';
import { newEvent } from '../testing/new-events';
import { freshEventStore } from '@backbone/testing/fresh-event-store';

const TEN_MINUTES = 600_000;
const LISTENERS = `
  SELECT pid FROM pg_stat_activity
  WHERE datname = current_database() AND query = 'LISTEN event_store_appended' AND pid <> pg_backend_pid()`;

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('subscribeToAll on PostgreSQL', () => {
  const db = freshEventStore({ maxConnections: 6 });

  /** Runs a subscription in the background, collecting what it delivers. */
  function follow(options: SubscribeOptions & { streamPrefix: string }) {
    const stop = new AbortController();
    const received: StoredEvent[] = [];
    const done = (async () => {
      const { streamPrefix, ...rest } = options;
      for await (const event of db.store.subscribeToAll(START_OF_LOG, {
        ...rest,
        filter: { streamPrefix },
        signal: stop.signal,
      })) {
        received.push(event);
      }
    })();
    return {
      received,
      arrived: (count: number) =>
        until(async () => (received.length >= count ? true : undefined), `${count} events`),
      stop: async () => {
        stop.abort();
        await done;
      },
    };
  }

  const listeningPids = async (): Promise<number[]> =>
    (await db.pool.query<{ pid: number }>(LISTENERS)).rows.map((r) => r.pid);

  it('is woken by the NOTIFY of an append, with polling far off', async () => {
    const subscription = follow({ streamPrefix: 'notified-', pollIntervalMs: TEN_MINUTES });
    await until(async () => ((await listeningPids()).length ? true : undefined), 'a listener');
    await sleep(50); // let it find the log empty and start waiting
    await db.store.appendToStream('notified-1', 'no-stream', [newEvent()]);
    await subscription.arrived(1);
    await subscription.stop();
  });

  it('looks again soon, polling far off, when a transaction that held events back ends silently', async () => {
    const subscription = follow({ streamPrefix: 'held-', pollIntervalMs: TEN_MINUTES });
    const holder = await db.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_current_xact_id()'); // takes an xid: followers wait for it
      await db.store.appendToStream('held-1', 'no-stream', [newEvent()]);
      await sleep(300); // notified, looked, found the event above the horizon
      expect(subscription.received).toEqual([]);
      await holder.query('COMMIT'); // no NOTIFY, and the poll is ten minutes away
      await subscription.arrived(1);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      holder.release();
      await subscription.stop();
    }
  });

  it('shares one LISTEN connection between subscriptions and closes it after the last', async () => {
    const first = follow({ streamPrefix: 'shared-a-', pollIntervalMs: TEN_MINUTES });
    const second = follow({ streamPrefix: 'shared-b-', pollIntervalMs: TEN_MINUTES });
    await until(async () => ((await listeningPids()).length ? true : undefined), 'a listener');
    await db.store.appendToStream('shared-a-1', 'no-stream', [newEvent()]);
    await db.store.appendToStream('shared-b-1', 'no-stream', [newEvent()]);
    await Promise.all([first.arrived(1), second.arrived(1)]);
    expect(await listeningPids()).toHaveLength(1);
    await first.stop();
    expect(await listeningPids()).toHaveLength(1);
    await second.stop();
    await until(
      async () => ((await listeningPids()).length === 0 ? true : undefined),
      'no listener',
    );
  });

  it('listens again after its connection is killed', async () => {
    const subscription = follow({ streamPrefix: 'killed-', pollIntervalMs: TEN_MINUTES });
    const [pid] = await until(
      async () => ((await listeningPids()).length ? listeningPids() : undefined),
      'a listener',
    );
    await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
    const [again] = await until(async () => {
      const pids = await listeningPids();
      return pids.length && !pids.includes(pid) ? pids : undefined;
    }, 'a new listener');
    expect(again).not.toBe(pid);
    await db.store.appendToStream('killed-1', 'no-stream', [newEvent()]);
    await subscription.arrived(1);
    await subscription.stop();
  });
});
