// Checkpoints advance only from where they were; a follower that can redo its work may let the
// advance commit without waiting for the disk, in one statement.
import { Pool } from 'pg';
import { inTransaction } from '@backbone/database';
import { freshTestDatabase } from '@backbone/testing/fresh-test-database';
import { CheckpointMovedError, PostgresCheckpointStore } from './checkpoint-store';
import { START_OF_LOG } from '../event-store.port';

describe('PostgresCheckpointStore', () => {
  const db = freshTestDatabase({
    // One connection, so every statement here runs in the same session.
    maxConnections: 1,
    over: ({ pool }) => ({ checkpoints: new PostgresCheckpointStore(pool) }),
  });

  const at = (globalPosition: string) => ({ transactionId: '1', globalPosition });
  const synchronousCommit = async (client: { query: Pool['query'] }): Promise<string> =>
    (await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]
      .synchronous_commit;

  it('advances without waiting for the disk, for its own transaction only', async () => {
    await db.checkpoints.advance('quick', START_OF_LOG, at('1'), { synchronousCommit: false });
    expect(await db.checkpoints.read('quick')).toEqual(at('1'));
    expect(await synchronousCommit(db.pool)).toBe('on');
    const inside = await inTransaction(db.pool, async (client) => {
      await db.checkpoints.advance('quick', at('1'), at('2'), { client, synchronousCommit: false });
      return synchronousCommit(client);
    });
    expect(inside).toBe('off');
    expect(await synchronousCommit(db.pool)).toBe('on');
    expect(await db.checkpoints.read('quick')).toEqual(at('2'));
  });

  it('refuses to advance from anywhere but where the checkpoint is, either way', async () => {
    await db.checkpoints.advance('contested', START_OF_LOG, at('5'));
    for (const synchronousCommit of [true, false]) {
      await expect(
        db.checkpoints.advance('contested', at('4'), at('6'), { synchronousCommit }),
      ).rejects.toBeInstanceOf(CheckpointMovedError);
    }
    expect(await db.checkpoints.read('contested')).toEqual(at('5'));
  });
});
