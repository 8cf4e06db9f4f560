import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { START_OF_LOG } from '../event-store.port';
import { positionOf } from '../follow-global-log';
import { PostgresCheckpointStore } from '../postgres/checkpoint-store';
import { newEvent } from '../testing/new-events';
import { visibleInLog } from '../testing/contract/log-visibility';
import { freshEventStore } from '@backbone/testing/fresh-event-store';
import { registerDatabaseGauges } from './database-gauges';
import { EventStoreMetrics } from './event-store-metrics';

async function valuesOf(registry: Registry, name: string) {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`${name} is not registered`);
  return (await metric.get()).values;
}

async function valueOf(registry: Registry, name: string, labels: Record<string, string> = {}) {
  const values = await valuesOf(registry, name);
  return values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
}

describe('event store metrics', () => {
  const registry = new Registry();
  const db = freshEventStore({
    maxConnections: 4,
    store: { metrics: new EventStoreMetrics(registry) },
  });
  beforeAll(() => {
    registerDatabaseGauges(db.pool, registry);
  });

  it('counts appends, retries, conflicts and their latency', async () => {
    const first = newEvent();
    await db.store.appendToStream('metered-1', 'no-stream', [first]);
    await db.store.appendToStream('metered-1', 1, [newEvent(), newEvent()]);
    await db.store.appendToStream('metered-1', 'no-stream', [first]);
    await expect(db.store.appendToStream('metered-1', 1, [newEvent()])).rejects.toThrow();
    await expect(
      db.store.appendToStream('metered-1', 'any', [{ ...first, data: { other: 1 } }]),
    ).rejects.toThrow();

    expect(await valueOf(registry, 'event_store_appends_total', { result: 'stored' })).toBe(2);
    expect(await valueOf(registry, 'event_store_appends_total', { result: 'retry' })).toBe(1);
    expect(await valueOf(registry, 'event_store_appended_events_total')).toBe(3);
    expect(
      await valueOf(registry, 'event_store_append_conflicts_total', { kind: 'expected_version' }),
    ).toBe(1);
    expect(
      await valueOf(registry, 'event_store_append_conflicts_total', { kind: 'event_id' }),
    ).toBe(1);
    const latency = await valuesOf(registry, 'event_store_append_duration_seconds');
    const count = latency.find((v) =>
      (v as { metricName?: string }).metricName?.endsWith('_count'),
    );
    expect(count?.value).toBe(5);
  });

  it('shows the head position and how far each follower is behind', async () => {
    await db.store.appendToStream('metered-2', 'no-stream', [newEvent(), newEvent(), newEvent()]);
    const events = await visibleInLog(db.store, 'metered-2', 3);
    const checkpoints = new PostgresCheckpointStore(db.pool);
    await checkpoints.advance('projector', START_OF_LOG, positionOf(events[0]));

    expect(await valueOf(registry, 'event_store_head_position')).toBe(
      Number(events[2].globalPosition),
    );
    expect(
      await valueOf(registry, 'event_store_follower_lag_events', { follower: 'projector' }),
    ).toBe(2);
    const seconds = await valueOf(registry, 'event_store_follower_lag_seconds', {
      follower: 'projector',
    });
    expect(seconds).toBeGreaterThanOrEqual(0);

    await checkpoints.advance('projector', positionOf(events[0]), positionOf(events[2]));
    expect(
      await valueOf(registry, 'event_store_follower_lag_events', { follower: 'projector' }),
    ).toBe(0);
    expect(
      await valueOf(registry, 'event_store_follower_lag_seconds', { follower: 'projector' }),
    ).toBe(0);
  });

  it('shows the age of the oldest open transaction, which holds every follower back', async () => {
    const holder = await db.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_current_xact_id()');
      await sleep(1_100);
      expect(
        await valueOf(registry, 'event_store_oldest_transaction_age_seconds'),
      ).toBeGreaterThanOrEqual(1);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
  });

  it('reuses the counters when a second store registers in the same registry', () => {
    expect(() => new EventStoreMetrics(registry)).not.toThrow();
    expect(() => registerDatabaseGauges(db.pool, registry)).not.toThrow();
  });
});
