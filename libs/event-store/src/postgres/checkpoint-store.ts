import type { Pool, PoolClient } from 'pg';
import { LogPosition, START_OF_LOG } from '../event-store.port';

/** Another instance advanced the checkpoint first: this one must stop and re-read. */
export class CheckpointMovedError extends Error {
  constructor(readonly checkpoint: string) {
    super(`checkpoint ${checkpoint} was moved by someone else`);
    this.name = 'CheckpointMovedError';
  }
}

const SELECT_CHECKPOINT = `
  SELECT transaction_id::text AS transaction_id, global_position::text AS global_position
  FROM checkpoints WHERE name = $1`;

// Advances only from the expected previous value, so two followers can never both move it.
const ADVANCE_CHECKPOINT = (source: string) => `
  INSERT INTO checkpoints AS c (name, transaction_id, global_position)
  ${source}
  ON CONFLICT (name) DO UPDATE
    SET transaction_id = EXCLUDED.transaction_id, global_position = EXCLUDED.global_position, updated_at = now()
    WHERE c.transaction_id = $2::xid8 AND c.global_position = $3::bigint`;
// Named: followers advance their checkpoints after every batch, so each connection prepares
// the statement once.
const ADVANCE = {
  name: 'checkpoints.advance',
  text: ADVANCE_CHECKPOINT('VALUES ($1, $4::xid8, $5::bigint)'),
};
// The same, with the setting that lets its transaction commit without waiting for the disk made
// by the statement itself (local to its transaction): one round trip, even on its own.
const ADVANCE_WITHOUT_FLUSH_WAIT = {
  name: 'checkpoints.advance-without-flush-wait',
  text: `
  WITH no_flush_wait AS (SELECT set_config('synchronous_commit', 'off', true))
  ${ADVANCE_CHECKPOINT('SELECT $1, $4::xid8, $5::bigint FROM no_flush_wait')}`,
};

export interface AdvanceOptions {
  /** In the caller's transaction; else the statement is a transaction of its own. */
  client?: PoolClient;
  /**
   * Whether the commit waits for the disk (the default). A follower that can redo what it did
   * since its last checkpoint (publishing again, which consumers skip by event id) need not.
   */
  synchronousCommit?: boolean;
}

/** Where each follower of the global log has got to, stored beside the events. */
export class PostgresCheckpointStore {
  constructor(private readonly pool: Pool) {}

  async read(name: string): Promise<LogPosition> {
    const { rows } = await this.pool.query<{ transaction_id: string; global_position: string }>(
      SELECT_CHECKPOINT,
      [name],
    );
    return rows[0]
      ? { transactionId: rows[0].transaction_id, globalPosition: rows[0].global_position }
      : START_OF_LOG;
  }

  /** Moves `name` from `from` to `to`. */
  async advance(
    name: string,
    from: LogPosition,
    to: LogPosition,
    { client, synchronousCommit = true }: AdvanceOptions = {},
  ): Promise<void> {
    const { rowCount } = await (client ?? this.pool).query({
      ...(synchronousCommit ? ADVANCE : ADVANCE_WITHOUT_FLUSH_WAIT),
      values: [name, from.transactionId, from.globalPosition, to.transactionId, to.globalPosition],
    });
    if (rowCount !== 1) throw new CheckpointMovedError(name);
  }
}
