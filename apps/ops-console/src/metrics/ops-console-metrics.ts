import { Gauge, GaugeConfiguration, register } from 'prom-client';
import { sharedCounter } from '@backbone/observability';

/** What the ops console counts itself; gauges read on scrape live beside their sources. */
export const opsConsoleMetrics = {
  eventsObserved: sharedCounter({
    name: 'backbone_events_observed_total',
    help: 'Events seen on referrals.events by the ops console, by event type',
    labelNames: ['type'],
  }),
  deadLettersCopied: sharedCounter({
    name: 'backbone_dead_letters_copied_total',
    help: 'Records of referrals.dead-letter copied into the console (each once)',
  }),
  /** Records a follower could not take as they are, and what it did with each instead. */
  recordsIsolated: sharedCounter({
    name: 'backbone_ops_console_records_isolated_total',
    help: 'Records the ops console could not take as they are, by follower and what was done (stored_bare, skipped, not_an_event)',
    labelNames: ['follower', 'outcome'],
  }),
  deadLettersRedriven: sharedCounter({
    name: 'backbone_dead_letters_redriven_total',
    help: 'Dead letters an operator sent back to their command topic',
  }),
  /** Copies deleted: past DEAD_LETTER_COPY_RETENTION_MS, or tied to a person erased. */
  deadLettersPurged: sharedCounter({
    name: 'backbone_dead_letters_purged_total',
    help: 'Copies of dead letters deleted from the console, by reason (retention, erasure)',
    labelNames: ['reason'],
  }),
};

/** Get-or-create, as sharedCounter: the all-in-one and tests build the console more than once. */
export function sharedGauge<T extends string>(config: GaugeConfiguration<T>): Gauge<T> {
  return (register.getSingleMetric(config.name) as Gauge<T> | undefined) ?? new Gauge(config);
}

/** Consumer lag per group and partition, as the console's sampler last saw it. */
export const consumerLagMetrics = {
  lag: sharedGauge({
    name: 'backbone_consumer_group_lag',
    help: 'Records a consumer group has not committed yet, by group, topic and partition',
    labelNames: ['group', 'topic', 'partition'],
  }),
  lagSeconds: sharedGauge({
    name: 'backbone_consumer_group_lag_seconds',
    help: 'Age of the oldest record a consumer group has not committed yet (a lower bound past the sampled history)',
    labelNames: ['group', 'topic', 'partition'],
  }),
  status: sharedGauge({
    name: 'backbone_consumer_group_status',
    help: 'Burrow-style partition status (1 for the current one of OK, WARN, STALL, STOP)',
    labelNames: ['group', 'topic', 'partition', 'status'],
  }),
};
