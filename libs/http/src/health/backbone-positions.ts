import type { Pool } from 'pg';
import { SINGLE_ACTIVE_PARTS, SingleActivePart } from '@backbone/database';

/** Capped so that asking stays cheap when a follower is very far behind. */
const BEHIND_CAP = 1_000_000;

const STORE_HEAD = `
  SELECT coalesce(max(global_position), 0)::text AS head FROM events`;

// Per follower name: where its checkpoint is, how many events lie after it in follow order,
// and how long ago the oldest of them was recorded. A follower that never checkpointed is at
// the start of the log.
const FOLLOWERS = `
  SELECT f.name,
    c.global_position::text AS position,
    c.updated_at,
    (SELECT count(*) FROM (
       SELECT 1 FROM events e
       WHERE (e.transaction_id, e.global_position) >
             (coalesce(c.transaction_id, '0'::xid8), coalesce(c.global_position, 0))
       LIMIT ${BEHIND_CAP}) behind)::float8 AS behind_events,
    coalesce(extract(epoch FROM clock_timestamp() - (
       SELECT e.recorded_at FROM events e
       WHERE (e.transaction_id, e.global_position) >
             (coalesce(c.transaction_id, '0'::xid8), coalesce(c.global_position, 0))
       ORDER BY e.transaction_id, e.global_position LIMIT 1)), 0)::float8 AS behind_seconds
  FROM unnest($1::text[]) AS f (name)
  LEFT JOIN checkpoints c ON c.name = f.name`;

// Advisory locks granted in this database. A 64-bit key shows as two halves: classid the high
// 32 bits, objid the low 32, with objsubid 1.
const HELD_LOCKS = `
  SELECT ((l.classid::bigint << 32) | l.objid::bigint)::text AS lock_key
  FROM pg_locks l JOIN pg_database d ON d.oid = l.database
  WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
    AND d.datname = current_database()`;

// Followers read only below the oldest transaction that holds an xid anywhere in the cluster:
// while one stays open, they all wait. Prepared transactions count too.
const OLDEST_TRANSACTION = `
  SELECT coalesce(extract(epoch FROM clock_timestamp() - min(started)), 0)::float8 AS age
  FROM (SELECT xact_start AS started FROM pg_stat_activity WHERE backend_xid IS NOT NULL
        UNION ALL
        SELECT prepared FROM pg_prepared_xacts) open_transactions`;

// Where each projector group has got to in each partition, by its own offsets table.
const PROJECTOR_OFFSETS = `
  SELECT consumer_group, partition, next_offset::text AS next_offset
  FROM projector_offsets WHERE topic = $1 AND starts_with(consumer_group, $2)`;

export interface FollowerPosition {
  /** Its checkpoint's global position, or undefined if it never checkpointed. */
  position?: string;
  checkpointedAt?: string;
  behindEvents: number;
  /** Age of the oldest event it has not processed; 0 when it is caught up. */
  behindSeconds: number;
}

export interface SingleActivePartState extends FollowerPosition {
  /** Some instance holds the part's advisory lock: it is running somewhere. */
  active: boolean;
}

export interface ProjectorOffset {
  group: string;
  partition: number;
  nextOffset: string;
}

/** Positions of the backbone's followers against the store's head, read from PostgreSQL. */
export class BackbonePositions {
  constructor(private readonly pool: Pool) {}

  async storeHead(): Promise<string> {
    const { rows } = await this.pool.query<{ head: string }>(STORE_HEAD);
    return rows[0].head;
  }

  async followers(names: string[]): Promise<Map<string, FollowerPosition>> {
    const { rows } = await this.pool.query<{
      name: string;
      position: string | null;
      updated_at: Date | null;
      behind_events: number;
      behind_seconds: number;
    }>(FOLLOWERS, [names]);
    return new Map(
      rows.map((row) => [
        row.name,
        {
          ...(row.position !== null ? { position: row.position } : {}),
          ...(row.updated_at ? { checkpointedAt: row.updated_at.toISOString() } : {}),
          behindEvents: row.behind_events,
          behindSeconds: row.behind_seconds,
        },
      ]),
    );
  }

  async singleActiveParts(): Promise<Record<SingleActivePart, SingleActivePartState>> {
    const parts = Object.entries(SINGLE_ACTIVE_PARTS) as [
      SingleActivePart,
      (typeof SINGLE_ACTIVE_PARTS)[SingleActivePart],
    ][];
    const [followers, locks] = await Promise.all([
      this.followers(parts.map(([, part]) => part.checkpoint)),
      this.pool.query<{ lock_key: string }>(HELD_LOCKS),
    ]);
    const held = new Set(locks.rows.map((row) => row.lock_key));
    const state = (part: (typeof SINGLE_ACTIVE_PARTS)[SingleActivePart]) => ({
      active: held.has(part.lockKey),
      ...(followers.get(part.checkpoint) ?? { behindEvents: 0, behindSeconds: 0 }),
    });
    return {
      publisher: state(SINGLE_ACTIVE_PARTS.publisher),
      deadlineWatcher: state(SINGLE_ACTIVE_PARTS.deadlineWatcher),
    };
  }

  async oldestTransactionAgeSeconds(): Promise<number> {
    const { rows } = await this.pool.query<{ age: number }>(OLDEST_TRANSACTION);
    return rows[0].age;
  }

  /** The projectors' own record of their offsets on `topic`, for groups named `groupPrefix…`. */
  async projectorOffsets(topic: string, groupPrefix: string): Promise<ProjectorOffset[]> {
    const { rows } = await this.pool.query<{
      consumer_group: string;
      partition: number;
      next_offset: string;
    }>(PROJECTOR_OFFSETS, [topic, groupPrefix]);
    return rows.map((row) => ({
      group: row.consumer_group,
      partition: row.partition,
      nextOffset: row.next_offset,
    }));
  }
}
