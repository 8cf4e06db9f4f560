import type { Pool, PoolClient } from 'pg';

export interface TransactionOptions {
  /**
   * Whether COMMIT waits until the transaction is on disk (PostgreSQL's `synchronous_commit`;
   * the default). Turn it off only for state that is derived and committed together with its
   * own checkpoint, such as a read model and its offsets: should PostgreSQL crash, the last
   * such transactions are lost whole, never in part, and are applied again from the checkpoint.
   * It saves the wait for the disk flush, which under load is most of a short transaction.
   */
  synchronousCommit?: boolean;
}

// One round trip either way: BEGIN and the setting go as one simple-protocol query.
const BEGIN_WITHOUT_FLUSH_WAIT = 'BEGIN; SET LOCAL synchronous_commit TO off';

/** Runs `work` in one transaction on one connection: committed if it resolves, rolled back if not. */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(options.synchronousCommit === false ? BEGIN_WITHOUT_FLUSH_WAIT : 'BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
