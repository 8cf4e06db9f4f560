import type { Pool } from 'pg';
import { Gauge, GaugeConfiguration, Registry, register } from 'prom-client';

const HEAD_POSITION = `SELECT coalesce(max(global_position), 0)::float8 AS head FROM events`;

/** Capped so that a scrape stays cheap when a follower is very far behind. */
export const LAG_COUNT_CAP = 1_000_000;

// Per checkpoint: how many events lie after it in follow order, and how long ago the oldest of
// them was recorded. Both walk the (transaction_id, global_position) index from the checkpoint.
const FOLLOWER_LAG = `
  SELECT c.name,
    (SELECT count(*) FROM (
       SELECT 1 FROM events e
       WHERE (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position)
       LIMIT ${LAG_COUNT_CAP}) behind)::float8 AS events,
    coalesce(extract(epoch FROM clock_timestamp() - (
       SELECT e.recorded_at FROM events e
       WHERE (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position)
       ORDER BY e.transaction_id, e.global_position LIMIT 1)), 0)::float8 AS seconds
  FROM checkpoints c`;

// Followers read only below the oldest transaction still running anywhere in the cluster (any
// database, any application): while one stays open, every follower waits, however idle that
// transaction is. Only transactions that hold an xid count (read-only ones do not hold the
// horizon back), and prepared transactions do too. The role needs pg_read_all_stats (or
// pg_monitor) to see other roles' sessions.
const OLDEST_TRANSACTION = `
  SELECT coalesce(extract(epoch FROM clock_timestamp() - min(started)), 0)::float8 AS age
  FROM (SELECT xact_start AS started FROM pg_stat_activity WHERE backend_xid IS NOT NULL
        UNION ALL
        SELECT prepared FROM pg_prepared_xacts) open_transactions`;

interface LagRow {
  name: string;
  events: number;
  seconds: number;
}

/** Replaces an earlier gauge of the same name: the newest pool is the one to ask. */
function gauge<T extends string>(registry: Registry, config: GaugeConfiguration<T>): Gauge<T> {
  registry.removeSingleMetric(config.name);
  return new Gauge({ ...config, registers: [registry] });
}

/**
 * Gauges read from the database on each scrape. When the database cannot be asked the values
 * are dropped rather than left stale, so a missing series shows the trouble.
 */
export function registerDatabaseGauges(pool: Pool, registry: Registry = register): void {
  gauge(registry, {
    name: 'event_store_head_position',
    help: 'The highest global position stored',
    async collect() {
      try {
        const { rows } = await pool.query<{ head: number }>(HEAD_POSITION);
        this.set(rows[0].head);
      } catch {
        this.reset();
      }
    },
  });
  // Both lag gauges come from one query: a scrape collects them together, so they share it.
  let lagQuery: Promise<LagRow[]> | undefined;
  const sampleLag = (): Promise<LagRow[]> =>
    (lagQuery ??= pool
      .query<LagRow>(FOLLOWER_LAG)
      .then(({ rows }) => rows)
      .finally(() => (lagQuery = undefined)));
  for (const [name, help, pick] of [
    [
      'event_store_follower_lag_events',
      `Events a follower (by checkpoint name) has not processed yet, up to ${LAG_COUNT_CAP}`,
      (row: LagRow) => row.events,
    ],
    [
      'event_store_follower_lag_seconds',
      'Age of the oldest event a follower (by checkpoint name) has not processed yet',
      (row: LagRow) => row.seconds,
    ],
  ] as const) {
    gauge(registry, {
      name,
      help,
      labelNames: ['follower'],
      async collect() {
        this.reset();
        try {
          for (const row of await sampleLag()) this.set({ follower: row.name }, pick(row));
        } catch {
          // left empty: see above
        }
      },
    });
  }
  gauge(registry, {
    name: 'event_store_oldest_transaction_age_seconds',
    help: 'Age of the oldest open transaction holding an xid in the cluster: followers wait for it',
    async collect() {
      try {
        const { rows } = await pool.query<{ age: number }>(OLDEST_TRANSACTION);
        this.set(rows[0].age);
      } catch {
        this.reset();
      }
    },
  });
}
