// Transactions that need not wait for the disk say so to PostgreSQL for themselves only: the
// setting holds inside the transaction and is gone once it ends, for whoever takes the
// connection next.
import { Pool, PoolClient } from 'pg';
import { createTestDatabase, TestDatabase } from '@backbone/testing/test-stack';
import { createPipelinedPool } from './database.module';
import { settledInOrder } from './settled-in-order';
import { inPipelinedTransaction, inTransaction } from './transaction';

describe('inTransaction', () => {
  let database: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    // One connection, so every transaction here reuses the same session.
    pool = new Pool({ connectionString: database.url, max: 1 });
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  const synchronousCommit = async (client: { query: Pool['query'] }): Promise<string> =>
    (await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]
      .synchronous_commit;

  it('waits for the disk by default', async () => {
    expect(await inTransaction(pool, synchronousCommit)).toBe('on');
  });

  it('can commit without waiting for the disk, for that transaction only', async () => {
    expect(await inTransaction(pool, synchronousCommit, { synchronousCommit: false })).toBe('off');
    expect(await synchronousCommit(pool)).toBe('on');
    await expect(
      inTransaction(
        pool,
        async () => {
          throw new Error('rolled back');
        },
        { synchronousCommit: false },
      ),
    ).rejects.toThrow('rolled back');
    expect(await synchronousCommit(pool)).toBe('on');
  });

  it('commits what the work did, and rolls it back when the work fails', async () => {
    await pool.query('CREATE TABLE tx_probe (n int)');
    await inTransaction(pool, (client) => client.query('INSERT INTO tx_probe VALUES (1)'), {
      synchronousCommit: false,
    });
    await expect(
      inTransaction(pool, async (client) => {
        await client.query('INSERT INTO tx_probe VALUES (2)');
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    const { rows } = await pool.query<{ n: number }>('SELECT n FROM tx_probe');
    expect(rows).toEqual([{ n: 1 }]);
  });
});

describe('inPipelinedTransaction', () => {
  let database: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    // One pipelining connection, so that every transaction here reuses the same session.
    pool = createPipelinedPool(database.url, 1);
    await pool.query('CREATE TABLE piped (n int PRIMARY KEY)');
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });
  beforeEach(() => pool.query('TRUNCATE piped'));

  const stored = async (): Promise<number[]> =>
    (await pool.query<{ n: number }>('SELECT n FROM piped ORDER BY n')).rows.map(({ n }) => n);

  /**
   * What the connection did, in order: `send` for each statement written, `ready` for each
   * answer completed (PostgreSQL's ReadyForQuery). Statements sent before the answer to an
   * earlier one shared its round trip.
   */
  function exchangesOf(client: PoolClient): string[] {
    const seen: string[] = [];
    const connection = (
      client as unknown as {
        connection: { stream: NodeJS.WritableStream; on: (e: string, l: () => void) => void };
      }
    ).connection;
    const write = connection.stream.write.bind(connection.stream);
    connection.stream.write = ((...args: Parameters<typeof write>) => {
      seen.push('send');
      return write(...args);
    }) as typeof write;
    connection.on('readyForQuery', () => seen.push('ready'));
    return seen;
  }

  it('sends BEGIN with the first statements, and COMMIT with the last when asked', async () => {
    let seen: string[] = [];
    await inPipelinedTransaction(pool, async (client, commit) => {
      seen = exchangesOf(client);
      await client.query('INSERT INTO piped VALUES (1)');
      await settledInOrder([client.query('INSERT INTO piped VALUES (2)'), commit()]);
    });
    // BEGIN went out before `exchangesOf` looked; its answer comes back with the first insert's.
    expect(seen).toEqual(['send', 'ready', 'ready', 'send', 'send', 'ready', 'ready']);
    expect(await stored()).toEqual([1, 2]);
  });

  it('commits after the work when the work does not', async () => {
    await inPipelinedTransaction(pool, (client) => client.query('INSERT INTO piped VALUES (3)'));
    expect(await stored()).toEqual([3]);
  });

  it('rolls back whole when a statement fails, even with COMMIT sent behind it', async () => {
    const attempt = inPipelinedTransaction(pool, async (client, commit) => {
      await settledInOrder([
        client.query('INSERT INTO piped VALUES (4)'),
        client.query('INSERT INTO piped VALUES (4)'),
        commit(),
      ]);
    });
    await expect(attempt).rejects.toThrow(/duplicate key/);
    expect(await stored()).toEqual([]);
    // The connection is back in the pool, out of any transaction.
    await inPipelinedTransaction(pool, (client) => client.query('INSERT INTO piped VALUES (5)'));
    expect(await stored()).toEqual([5]);
  });

  it('rolls back when the work fails before committing', async () => {
    const attempt = inPipelinedTransaction(pool, async (client) => {
      await client.query('INSERT INTO piped VALUES (6)');
      throw new Error('changed its mind');
    });
    await expect(attempt).rejects.toThrow('changed its mind');
    expect(await stored()).toEqual([]);
  });

  it('can commit without waiting for the disk, for that transaction only', async () => {
    const setting = async (client: PoolClient): Promise<string> =>
      (await client.query<{ s: string }>('SELECT current_setting($1) AS s', ['synchronous_commit']))
        .rows[0].s;
    expect(await inPipelinedTransaction(pool, setting, { synchronousCommit: false })).toBe('off');
    expect(await inPipelinedTransaction(pool, setting)).toBe('on');
  });
});
