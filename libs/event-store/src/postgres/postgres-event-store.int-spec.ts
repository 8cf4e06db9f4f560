import { Pool } from 'pg';
import { EventIdsAlreadyStoredError } from '../event-store.errors';
import { START_OF_LOG } from '../event-store.port';
import { UpcasterRegistry } from '../upcasting/upcaster-registry';
import { newEvent } from '../testing/new-events';
import { visibleInLog } from '../testing/contract/log-visibility';
import { freshEventStore } from '@backbone/testing/fresh-event-store';
import { PostgresCheckpointStore } from './checkpoint-store';
import { PostgresEventStore } from './postgres-event-store';

describe('the PostgreSQL event store beyond the contract', () => {
  const db = freshEventStore({ maxConnections: 4 });

  it('upcasts old event versions on read and still verifies what is stored', async () => {
    await db.store.appendToStream('person-1', 'no-stream', [
      newEvent('person.noted.v1', { name: 'Freja Nielsen' }),
    ]);
    const upcasters = new UpcasterRegistry().register('person.noted', 1, (data) => {
      const [given, family] = String(data.name).split(' ');
      return { given, family };
    });
    const upcasting = new PostgresEventStore(db.pool, { upcasters });

    const [read] = await upcasting.readStream('person-1');
    expect(read).toMatchObject({
      type: 'person.noted.v2',
      storedType: 'person.noted.v1',
      data: { given: 'Freja', family: 'Nielsen' },
    });
    const events = await visibleInLog(upcasting, 'person-', 1);
    expect(events[0].type).toBe('person.noted.v2');
    expect(await upcasting.verifyStream('person-1')).toEqual({ valid: true, events: 1 });
    expect((await db.store.readStream('person-1'))[0].type).toBe('person.noted.v1');
  });

  it('commits a write made alongside the append together with the events', async () => {
    const checkpoints = new PostgresCheckpointStore(db.pool);
    const result = await db.store.appendToStream('together-1', 'no-stream', [newEvent()], {
      alsoInTransaction: async (client, appended) => {
        const to = { transactionId: '1', globalPosition: appended.events[0].globalPosition };
        await checkpoints.advance('together', START_OF_LOG, to, { client });
      },
    });
    expect((await checkpoints.read('together')).globalPosition).toBe(
      result.events[0].globalPosition,
    );
  });

  it('stores nothing when the write alongside the append fails', async () => {
    const failure = new Error('the outcome could not be recorded');
    await expect(
      db.store.appendToStream('together-2', 'no-stream', [newEvent()], {
        alsoInTransaction: async () => {
          throw failure;
        },
      }),
    ).rejects.toBe(failure);
    expect(await db.store.readStream('together-2')).toEqual([]);
    expect(await db.store.getStream('together-2')).toBeUndefined();
  });

  it("appends inside the caller's transaction and rolls back with it", async () => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await db.store.appendToStream('caller-1', 'no-stream', [newEvent()], { client });
      expect(await db.store.readStream('caller-1')).toEqual([]); // not committed yet
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect(await db.store.readStream('caller-1')).toEqual([]);
    expect(await db.store.getStream('caller-1')).toBeUndefined();
  });

  it('leaves stored event ids to the caller in its transaction: a one-connection pool answers', async () => {
    // Telling a retry from a conflict took a second connection of the pool while the caller's
    // transaction held its locks: with none free it waited (here, until the pool's timeout).
    const stored = newEvent();
    await db.store.appendToStream('reused-1', 'no-stream', [stored]);
    const pool = new Pool({ connectionString: db.url, max: 1, connectionTimeoutMillis: 2_000 });
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await expect(
        new PostgresEventStore(pool).appendToStream('reused-1', 'any', [stored], { client }),
      ).rejects.toThrow(EventIdsAlreadyStoredError);
      await client.query('ROLLBACK');
    } finally {
      client.release();
      await pool.end();
    }
    expect(await db.store.readStream('reused-1')).toHaveLength(1);
  });
});
