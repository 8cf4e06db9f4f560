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
const beginStatement = ({ synchronousCommit }: TransactionOptions): string =>
  synchronousCommit === false ? 'BEGIN; SET LOCAL synchronous_commit TO off' : 'BEGIN';

/** Runs `work` in one transaction on one connection: committed if it resolves, rolled back if not. */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(beginStatement(options));
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

/**
 * Sends COMMIT without waiting for what was sent before it, and resolves once it has committed.
 * Sent behind a statement that failed, it only ends the aborted transaction (PostgreSQL answers
 * ROLLBACK): that statement's own promise carries the error, and this one rejects too.
 */
export type PipelinedCommit = () => Promise<void>;

/**
 * `inTransaction` for a pipelining connection (PIPELINED_POOL), in fewer round trips: BEGIN is
 * not waited for but goes out with the work's first statements, and the work may send COMMIT
 * together with its last ones (`commit`); otherwise it is sent once the work resolves. Once
 * the work has called `commit`, nothing it does after can undo the transaction: it should only
 * wait for its statements. A work that fails before that is rolled back.
 */
export async function inPipelinedTransaction<T>(
  pool: Pool,
  work: (client: PoolClient, commit: PipelinedCommit) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const client = await pool.connect();
  let committed: Promise<void> | undefined;
  const commit: PipelinedCommit = () => {
    committed ??= client.query('COMMIT').then(({ command }) => {
      if (command !== 'COMMIT') throw new Error(`the transaction ended in ${command}`);
    });
    return committed;
  };
  try {
    // Each statement of a pipelining connection is its own exchange, so a failed BEGIN (only a
    // lost connection fails it) would not stop the statements behind it: its promise is still
    // awaited before anything counts as committed.
    const begun = client.query(beginStatement(options));
    begun.catch(() => undefined); // awaited below, after the work
    const result = await work(client, commit);
    await begun;
    await commit();
    return result;
  } catch (error) {
    committed?.catch(() => undefined);
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
