import type { Pool } from 'pg';
import { Gauge, register } from 'prom-client';
import { sharedCounter, sharedHistogram } from '@backbone/observability';

const LAG_BUCKETS = [
  0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.06, 0.075, 0.1, 0.125, 0.15, 0.2, 0.3, 0.5,
  1, 2.5, 5, 10,
];

/** Applied events and batch latency of live projection, for the ops console and alerts. */
export const projectorMetrics = {
  eventsApplied: sharedCounter({
    name: 'projector_events_applied_total',
    help: 'Events applied to a read model by live projection (redeliveries not counted)',
    labelNames: ['model'],
  }),
  batchSeconds: sharedHistogram({
    name: 'projector_batch_seconds',
    help: 'Time to apply one Kafka batch and its offsets in one PostgreSQL transaction',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  }),
  eventLagSeconds: sharedHistogram({
    name: 'projector_event_lag_seconds',
    help: 'Time from an event being recorded in the store to its read-model change committing',
    buckets: LAG_BUCKETS,
  }),
  consumeLagSeconds: sharedHistogram({
    name: 'projector_consume_lag_seconds',
    help: 'Time from an event being produced to Kafka by the publisher to its read-model change committing',
    buckets: LAG_BUCKETS,
  }),
};

/** Capped so that a scrape stays cheap when the publisher is very far behind. */
const UNPUBLISHED_CAP = 1_000_000;

// The publisher's backlog: stored events after its checkpoint in follow order, and the record
// time of the oldest of them ('publisher' is the publisher's checkpoint name).
const UNPUBLISHED = `
  WITH c AS (
    SELECT coalesce((SELECT transaction_id FROM checkpoints WHERE name = 'publisher'), '0'::xid8) AS tx,
           coalesce((SELECT global_position FROM checkpoints WHERE name = 'publisher'), 0) AS pos)
  SELECT
    (SELECT count(*) FROM (
       SELECT 1 FROM events e, c WHERE (e.transaction_id, e.global_position) > (c.tx, c.pos)
       LIMIT ${UNPUBLISHED_CAP}) behind)::float8 AS events,
    (SELECT extract(epoch FROM e.recorded_at)::float8 FROM events e, c
       WHERE (e.transaction_id, e.global_position) > (c.tx, c.pos)
       ORDER BY e.transaction_id, e.global_position LIMIT 1) AS oldest`;

/** What the consumer last saw of one partition: records not yet applied, and when it applied. */
export interface PartitionLag {
  behind: number;
  /** Record time (epoch seconds) of the last event applied from this partition. */
  lastAppliedAt?: number;
}

/**
 * Projection lag behind the store's head: events stored but not yet in the read models (the
 * publisher's backlog plus records on Kafka not yet applied) and how old the oldest of them
 * is. For a partition the consumer is behind on, that age is bounded by the record time of the
 * last event it applied there (the next one was recorded no earlier).
 */
export function registerProjectionLagGauges(
  pool: Pool,
  partitions: () => Iterable<PartitionLag>,
): void {
  let sample: Promise<{ events: number; seconds: number }> | undefined;
  const measure = async () => {
    const { rows } = await pool.query<{ events: number; oldest: number | null }>(UNPUBLISHED);
    const now = Date.now() / 1000;
    let events = rows[0].events;
    let oldest = rows[0].oldest ?? now;
    for (const partition of partitions()) {
      if (partition.behind <= 0) continue;
      events += partition.behind;
      oldest = Math.min(oldest, partition.lastAppliedAt ?? now);
    }
    return { events, seconds: events > 0 ? Math.max(0, now - oldest) : 0 };
  };
  // Both gauges are collected by one scrape: they share one measurement.
  const shared = () => (sample ??= measure().finally(() => (sample = undefined)));
  for (const [name, help, pick] of [
    [
      'projector_lag_events',
      'Events stored but not yet applied to the read models',
      (s: { events: number }) => s.events,
    ],
    [
      'projector_lag_seconds',
      'Age of the oldest stored event not yet applied to the read models',
      (s: { seconds: number }) => s.seconds,
    ],
  ] as const) {
    // The newest consumer is the one to ask (tests and the all-in-one start several in turn).
    register.removeSingleMetric(name);
    new Gauge({
      name,
      help,
      registers: [register],
      async collect() {
        try {
          this.set(pick(await shared()));
        } catch {
          this.reset(); // a missing series shows the trouble better than a stale value
        }
      },
    });
  }
}
