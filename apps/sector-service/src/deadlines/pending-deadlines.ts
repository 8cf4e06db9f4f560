import { Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import type { DeadlineKind, ScheduleChange } from './deadline-schedule';

const SET_DUE = `
  INSERT INTO pending_deadlines (stream_id, kind, due_at) VALUES ($1, $2, $3)
  ON CONFLICT (stream_id, kind) DO UPDATE SET due_at = EXCLUDED.due_at`;
const CLEAR = `DELETE FROM pending_deadlines WHERE stream_id = $1 AND kind = $2`;
const SELECT_DUE = `
  SELECT stream_id, kind FROM pending_deadlines WHERE due_at <= $1 ORDER BY due_at, stream_id LIMIT $2`;

export interface DueDeadline {
  streamId: string;
  kind: DeadlineKind;
}

/** The deadlines still to act on, kept in PostgreSQL so they survive restarts. */
@Injectable()
export class PendingDeadlines {
  constructor(private readonly pool: Pool) {}

  async apply(change: ScheduleChange, client: PoolClient): Promise<void> {
    if (change.change === 'due')
      await client.query(SET_DUE, [change.streamId, change.kind, change.dueAt]);
    else await client.query(CLEAR, [change.streamId, change.kind]);
  }

  async clear(deadline: DueDeadline, client?: PoolClient): Promise<void> {
    await (client ?? this.pool).query(CLEAR, [deadline.streamId, deadline.kind]);
  }

  async due(now: Date, limit: number): Promise<DueDeadline[]> {
    const { rows } = await this.pool.query<{ stream_id: string; kind: DeadlineKind }>(SELECT_DUE, [
      now,
      limit,
    ]);
    return rows.map((row) => ({ streamId: row.stream_id, kind: row.kind }));
  }
}
