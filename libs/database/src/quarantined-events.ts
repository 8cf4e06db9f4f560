import type { Pool, PoolClient } from 'pg';
import { Gauge, register } from 'prom-client';
import { sharedCounter } from '@backbone/observability';

// Stored events a consumer cannot apply, set aside so that the consumer goes on (DESIGN
// invariant 10): recorded in the transaction that moves the consumer's checkpoint past the
// event, listed for operators, re-applied by them after a fix.

/** The consumers that quarantine events (the `consumer` column). */
export type QuarantiningConsumer = 'projector' | 'deadline-watcher';

export interface QuarantinedEventRef {
  eventId: string;
  globalPosition: string;
  streamId: string;
  type: string;
}

export interface QuarantinedEvent extends QuarantinedEventRef {
  consumer: string;
  error: string;
  firstSeenAt: string;
  lastTriedAt: string;
  attempts: number;
  reappliedAt: string | null;
}

/** The longest error text kept: enough to tell the class and the reason. */
const MAX_ERROR_LENGTH = 240;

// The store's own position and stream id win over what the caller read (a Kafka record's
// copy). A second sighting (a redelivery, a rebuild) leaves the first record as it is.
const RECORD = `
  INSERT INTO quarantined_events (consumer, event_id, global_position, stream_id, event_type, error)
  SELECT $1, $2::uuid, coalesce(e.global_position, $3::bigint), coalesce(e.stream_id, $4), $5, $6
  FROM (SELECT) AS one LEFT JOIN events e ON e.event_id = $2::uuid
  ON CONFLICT (consumer, event_id) DO NOTHING`;
const RECORD_BY_POSITION = `
  INSERT INTO quarantined_events (consumer, event_id, global_position, stream_id, event_type, error)
  SELECT $1, e.event_id, e.global_position, e.stream_id, e.event_type, $3
  FROM events e WHERE e.global_position = $2::bigint
  ON CONFLICT (consumer, event_id) DO NOTHING
  RETURNING event_id, stream_id, event_type`;
const PENDING_POSITIONS = `
  SELECT global_position::text AS global_position FROM quarantined_events
  WHERE consumer = $1 AND reapplied_at IS NULL`;
const PENDING = `
  SELECT consumer, event_id, global_position::text AS global_position, stream_id, event_type,
         error, first_seen_at, last_tried_at, attempts, reapplied_at
  FROM quarantined_events WHERE consumer = $1 AND reapplied_at IS NULL
  ORDER BY global_position`;
const LIST = `
  SELECT consumer, event_id, global_position::text AS global_position, stream_id, event_type,
         error, first_seen_at, last_tried_at, attempts, reapplied_at
  FROM quarantined_events WHERE ($1 OR reapplied_at IS NULL)
  ORDER BY first_seen_at DESC, consumer, global_position DESC LIMIT $2`;
const MARK_REAPPLIED = `
  UPDATE quarantined_events SET reapplied_at = now(), last_tried_at = now(), attempts = attempts + 1
  WHERE consumer = $1 AND event_id = $2`;
const MARK_STILL_FAILING = `
  UPDATE quarantined_events SET last_tried_at = now(), attempts = attempts + 1, error = $3
  WHERE consumer = $1 AND event_id = $2`;
const COUNT_PENDING = `
  SELECT consumer, count(*)::int AS n FROM quarantined_events
  WHERE reapplied_at IS NULL GROUP BY consumer`;

type Row = {
  consumer: string;
  event_id: string;
  global_position: string;
  stream_id: string;
  event_type: string;
  error: string;
  first_seen_at: Date;
  last_tried_at: Date;
  attempts: number;
  reapplied_at: Date | null;
};

const toQuarantined = (row: Row): QuarantinedEvent => ({
  consumer: row.consumer,
  eventId: row.event_id,
  globalPosition: row.global_position,
  streamId: row.stream_id,
  type: row.event_type,
  error: row.error,
  firstSeenAt: row.first_seen_at.toISOString(),
  lastTriedAt: row.last_tried_at.toISOString(),
  attempts: row.attempts,
  reappliedAt: row.reapplied_at?.toISOString() ?? null,
});

/**
 * An error as the quarantine keeps it: its class, SQLSTATE and message, short. PostgreSQL
 * quotes the value it refused (`… out of range: "2099-02-31…"`), which is event data and may
 * be personal: quoted parts are left out.
 */
export function describeQuarantineError(error: unknown): string {
  const { name, code, message } =
    typeof error === 'object' && error !== null
      ? (error as { name?: unknown; code?: unknown; message?: unknown })
      : { name: typeof error, code: undefined, message: '' };
  // node-postgres names its DatabaseError 'error'; the class says more.
  const className =
    typeof error === 'object' && error !== null && error.constructor !== Object
      ? error.constructor.name
      : undefined;
  const label = typeof name === 'string' && name !== 'error' ? name : (className ?? 'Error');
  const head = [label, typeof code === 'string' ? code : ''].filter(Boolean).join(' ');
  const text = (typeof message === 'string' ? message : '')
    .replace(/"[^"]*"?|'[^']*'?/g, '"…"')
    .replace(/\s+/g, ' ')
    .trim();
  const full = text ? `${head}: ${text}` : head;
  return full.length > MAX_ERROR_LENGTH ? `${full.slice(0, MAX_ERROR_LENGTH - 1)}…` : full;
}

/** The quarantine's counters and gauge: one per name in a process, shared by its apps. */
export const quarantineMetrics = {
  quarantined: sharedCounter({
    name: 'backbone_events_quarantined_total',
    help: 'Stored events a consumer could not apply and set aside (quarantined)',
    labelNames: ['consumer'],
  }),
};

let gaugePool: Pool;

/**
 * `backbone_quarantined_events{consumer}`: events quarantined and not yet re-applied, read from
 * PostgreSQL on each scrape (so every thread and instance shows the same figure; merged by max).
 */
export function registerQuarantineGauge(pool: Pool): void {
  // The latest pool registered is read (an application started again, tests): one gauge a process.
  gaugePool = pool;
  if (register.getSingleMetric('backbone_quarantined_events')) return;
  new Gauge({
    name: 'backbone_quarantined_events',
    help: 'Stored events quarantined by a consumer and not yet re-applied (alert when above 0)',
    labelNames: ['consumer'],
    aggregator: 'max',
    async collect() {
      this.reset(); // a missing series shows a failed read better than a stale value
      try {
        const { rows } = await gaugePool.query<{ consumer: string; n: number }>(COUNT_PENDING);
        for (const consumer of ['projector', 'deadline-watcher']) this.set({ consumer }, 0);
        for (const row of rows) this.set({ consumer: row.consumer }, row.n);
      } catch {
        // PostgreSQL unreachable: the scrape goes on without these series.
      }
    },
  });
}

/** The `quarantined_events` table. */
export const quarantinedEvents = {
  /** Records `event` as quarantined by `consumer`, in the caller's transaction. */
  async record(
    client: PoolClient,
    consumer: QuarantiningConsumer,
    event: QuarantinedEventRef,
    error: unknown,
  ): Promise<void> {
    await client.query(RECORD, [
      consumer,
      event.eventId,
      event.globalPosition,
      event.streamId,
      event.type,
      describeQuarantineError(error),
    ]);
  },

  /** Records the store's event at `globalPosition` as quarantined (a rebuild knows no ids). */
  async recordByPosition(
    client: PoolClient,
    consumer: QuarantiningConsumer,
    globalPosition: string,
    error: unknown,
  ): Promise<QuarantinedEventRef | undefined> {
    const { rows } = await client.query<{
      event_id: string;
      stream_id: string;
      event_type: string;
    }>(RECORD_BY_POSITION, [consumer, globalPosition, describeQuarantineError(error)]);
    return rows[0]
      ? {
          eventId: rows[0].event_id,
          globalPosition,
          streamId: rows[0].stream_id,
          type: rows[0].event_type,
        }
      : undefined;
  },

  /** Global positions of the events `consumer` has quarantined and not yet re-applied. */
  async pendingPositions(
    db: Pool | PoolClient,
    consumer: QuarantiningConsumer,
  ): Promise<Set<string>> {
    const { rows } = await db.query<{ global_position: string }>(PENDING_POSITIONS, [consumer]);
    return new Set(rows.map((row) => row.global_position));
  },

  /** The events `consumer` has quarantined and not yet re-applied, in log order. */
  async pending(
    db: Pool | PoolClient,
    consumer: QuarantiningConsumer,
  ): Promise<QuarantinedEvent[]> {
    const { rows } = await db.query<Row>(PENDING, [consumer]);
    return rows.map(toQuarantined);
  },

  /** Newest first; re-applied ones too when `all`. */
  async list(db: Pool | PoolClient, all: boolean, limit: number): Promise<QuarantinedEvent[]> {
    const { rows } = await db.query<Row>(LIST, [all, limit]);
    return rows.map(toQuarantined);
  },

  async markReapplied(client: PoolClient, consumer: string, eventId: string): Promise<void> {
    await client.query(MARK_REAPPLIED, [consumer, eventId]);
  },

  async markStillFailing(
    db: Pool | PoolClient,
    consumer: string,
    eventId: string,
    error: unknown,
  ): Promise<void> {
    await db.query(MARK_STILL_FAILING, [consumer, eventId, describeQuarantineError(error)]);
  },
};
