// Transactions that need not wait for the disk say so to PostgreSQL for themselves only: the
// setting holds inside the transaction and is gone once it ends, for whoever takes the
// connection next.
import { Pool } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../test/support/test-stack';
import { inTransaction } from './transaction';

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
