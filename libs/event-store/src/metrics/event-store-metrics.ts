import {
  Counter,
  CounterConfiguration,
  Histogram,
  HistogramConfiguration,
  Registry,
  register,
} from 'prom-client';

export type ConflictKind = 'expected_version' | 'event_id';

function counter<T extends string>(
  registry: Registry,
  config: CounterConfiguration<T>,
): Counter<T> {
  const existing = registry.getSingleMetric(config.name);
  return (existing as Counter<T> | undefined) ?? new Counter({ ...config, registers: [registry] });
}

function histogram<T extends string>(
  registry: Registry,
  config: HistogramConfiguration<T>,
): Histogram<T> {
  const existing = registry.getSingleMetric(config.name);
  return (
    (existing as Histogram<T> | undefined) ?? new Histogram({ ...config, registers: [registry] })
  );
}

/**
 * What the append path counts. Several stores in one process (the all-in-one backbone, tests)
 * share one set of metrics per registry instead of failing on the second registration.
 */
export class EventStoreMetrics {
  readonly appends: Counter<'result'>;
  readonly appendedEvents: Counter;
  readonly conflicts: Counter<'kind'>;
  readonly appendSeconds: Histogram;

  constructor(readonly registry: Registry = register) {
    this.appends = counter(registry, {
      name: 'event_store_appends_total',
      help: 'Appends that succeeded: stored, or recognised as a retry of a stored append',
      labelNames: ['result'],
    });
    this.appendedEvents = counter(registry, {
      name: 'event_store_appended_events_total',
      help: 'Events stored by appends (retries not counted again)',
    });
    this.conflicts = counter(registry, {
      name: 'event_store_append_conflicts_total',
      help: 'Appends refused because of a wrong expected version or a reused event id',
      labelNames: ['kind'],
    });
    this.appendSeconds = histogram(registry, {
      name: 'event_store_append_duration_seconds',
      help: 'Time from asking for an append until it committed or failed',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    });
  }

  appended(events: number, seconds: number): void {
    this.appends.inc({ result: 'stored' });
    this.appendedEvents.inc(events);
    this.appendSeconds.observe(seconds);
  }

  retried(seconds: number): void {
    this.appends.inc({ result: 'retry' });
    this.appendSeconds.observe(seconds);
  }

  conflicted(kind: ConflictKind, seconds: number): void {
    this.conflicts.inc({ kind });
    this.appendSeconds.observe(seconds);
  }

  failed(seconds: number): void {
    this.appendSeconds.observe(seconds);
  }
}
