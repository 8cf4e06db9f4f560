import { Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { Gauge, register } from 'prom-client';
import type { DeadlineKind, ScheduleChange } from './deadline-schedule';

const CLEAR = `DELETE FROM pending_deadlines WHERE stream_id = $1 AND kind = $2`;
// A new due time is a new deadline: one held before is tried again.
const SET_ALL_DUE = `
  INSERT INTO pending_deadlines (stream_id, kind, due_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[])
  ON CONFLICT (stream_id, kind) DO UPDATE
  SET due_at = EXCLUDED.due_at, held_at = NULL, held_error = NULL`;
const CLEAR_ALL = `
  DELETE FROM pending_deadlines
  WHERE (stream_id, kind) IN (SELECT * FROM unnest($1::text[], $2::text[]))`;
const SELECT_DUE = `
  SELECT stream_id, kind FROM pending_deadlines WHERE due_at <= $1 AND held_at IS NULL
  ORDER BY due_at, stream_id LIMIT $2`;
const HOLD = `
  UPDATE pending_deadlines SET held_at = now(), held_error = $3 WHERE stream_id = $1 AND kind = $2`;
const RELEASE_HELD = `
  UPDATE pending_deadlines SET held_at = NULL, held_error = NULL WHERE held_at IS NOT NULL
  RETURNING stream_id, kind`;
const NEXT_DUE = `SELECT min(due_at) AS next FROM pending_deadlines WHERE held_at IS NULL`;
const COUNT_HELD = `SELECT count(*)::int AS n FROM pending_deadlines WHERE held_at IS NOT NULL`;
const SELECT_HELD = `
  SELECT stream_id, kind, due_at, held_at, held_error FROM pending_deadlines
  WHERE held_at IS NOT NULL ORDER BY held_at DESC LIMIT $1`;

export interface DueDeadline {
  streamId: string;
  kind: DeadlineKind;
}

/** A deadline whose action failed, set aside until released. */
export interface HeldDeadline extends DueDeadline {
  dueAt: string;
  heldAt: string;
  error: string;
}

/** The deadlines still to act on, kept in PostgreSQL so they survive restarts. */
@Injectable()
export class PendingDeadlines {
  constructor(private readonly pool: Pool) {}

  /**
   * Applies a page of the log's changes in two statements: only each deadline's last change
   * counts, so the deadlines set and those cleared are disjoint and their order does not matter.
   */
  async applyAll(changes: ScheduleChange[], client: PoolClient): Promise<void> {
    const last = new Map<string, ScheduleChange>();
    for (const change of changes) last.set(`${change.kind}|${change.streamId}`, change);
    const due: Extract<ScheduleChange, { change: 'due' }>[] = [];
    const cleared: ScheduleChange[] = [];
    for (const change of last.values()) {
      if (change.change === 'due') due.push(change);
      else cleared.push(change);
    }
    if (due.length) {
      await client.query(SET_ALL_DUE, [
        due.map((c) => c.streamId),
        due.map((c) => c.kind),
        due.map((c) => c.dueAt),
      ]);
    }
    if (cleared.length) {
      await client.query(CLEAR_ALL, [cleared.map((c) => c.streamId), cleared.map((c) => c.kind)]);
    }
  }

  async clear(deadline: DueDeadline, client?: PoolClient): Promise<void> {
    await (client ?? this.pool).query(CLEAR, [deadline.streamId, deadline.kind]);
  }

  /**
   * Sets a deadline whose action failed (not for a passing fault) aside, with the reason, so
   * that it does not come up first again on every poll and block the others.
   */
  async hold(deadline: DueDeadline, error: string, client?: PoolClient): Promise<void> {
    await (client ?? this.pool).query(HOLD, [deadline.streamId, deadline.kind, error]);
  }

  /** Releases every held deadline, to be acted on at the next poll (after a fix). */
  async releaseHeld(client?: PoolClient): Promise<DueDeadline[]> {
    const { rows } = await (client ?? this.pool).query<{ stream_id: string; kind: DeadlineKind }>(
      RELEASE_HELD,
    );
    return rows.map((row) => ({ streamId: row.stream_id, kind: row.kind }));
  }

  async held(limit: number): Promise<HeldDeadline[]> {
    const { rows } = await this.pool.query<{
      stream_id: string;
      kind: DeadlineKind;
      due_at: Date;
      held_at: Date;
      held_error: string;
    }>(SELECT_HELD, [limit]);
    return rows.map((row) => ({
      streamId: row.stream_id,
      kind: row.kind,
      dueAt: row.due_at.toISOString(),
      heldAt: row.held_at.toISOString(),
      error: row.held_error,
    }));
  }

  /** When the next deadline not held falls due, if one is pending. */
  async nextDueAt(): Promise<Date | undefined> {
    const { rows } = await this.pool.query<{ next: Date | null }>(NEXT_DUE);
    return rows[0].next ?? undefined;
  }

  async due(now: Date, limit: number): Promise<DueDeadline[]> {
    const { rows } = await this.pool.query<{ stream_id: string; kind: DeadlineKind }>(SELECT_DUE, [
      now,
      limit,
    ]);
    return rows.map((row) => ({ streamId: row.stream_id, kind: row.kind }));
  }
}

let heldDeadlinesPool: Pool;

/**
 * `backbone_held_deadlines`: deadlines whose action failed and that wait for an operator, read
 * from PostgreSQL on each scrape (the same figure in every thread and instance; merged by max).
 */
export function registerHeldDeadlinesGauge(pool: Pool): void {
  // The latest pool registered is read (an application started again, tests): one gauge a process.
  heldDeadlinesPool = pool;
  if (register.getSingleMetric('backbone_held_deadlines')) return;
  new Gauge({
    name: 'backbone_held_deadlines',
    help: 'Due deadlines whose action failed, held until an operator releases them (alert when above 0)',
    aggregator: 'max',
    async collect() {
      this.reset(); // a missing series shows a failed read better than a stale value
      try {
        const { rows } = await heldDeadlinesPool.query<{ n: number }>(COUNT_HELD);
        this.set(rows[0].n);
      } catch {
        // PostgreSQL unreachable: the scrape goes on without this series.
      }
    },
  });
}
