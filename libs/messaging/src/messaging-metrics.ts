import { sharedCounter, sharedHistogram } from '@backbone/observability';

/** What crosses Kafka, for the ops console and alerts. */
export const messagingMetrics = {
  commandsConsumed: sharedCounter({
    name: 'backbone_commands_consumed_total',
    help: 'Command records consumed from command topics, by result (answered, dead_letter)',
    labelNames: ['result'],
  }),
  outcomes: sharedCounter({
    name: 'backbone_command_outcomes_total',
    help: 'Outcomes produced, by outcome type and rejection code, from Kafka and HTTP',
    labelNames: ['type', 'code', 'channel'],
  }),
  eventsPublished: sharedCounter({
    name: 'backbone_events_published_total',
    help: 'Stored events published to referrals.events (inbox copies not counted)',
  }),
  /** A batch that failed (broker or database unreachable) and is tried again, in place. */
  batchesRetried: sharedCounter({
    name: 'backbone_batches_retried_total',
    help: 'Batches that failed on a transient fault and are retried in order, by consumer',
    labelNames: ['consumer'],
  }),
  /** Each time the broker refuses records as too large for their topic: publishing is stuck. */
  recordsTooLarge: sharedCounter({
    name: 'backbone_records_too_large_total',
    help: 'Sends the broker refused as larger than the topic allows (alert on any), by topic',
    labelNames: ['topic'],
  }),
  /** Records kafkajs left out of an acknowledged send, sent again (see acknowledged-sends.ts). */
  recordsResent: sharedCounter({
    name: 'backbone_records_resent_total',
    help: 'Records a producer left unsent in a send it reported acknowledged, sent again',
  }),
  publishBatchSeconds: sharedHistogram({
    name: 'backbone_publish_batch_seconds',
    help: 'Time to publish one batch of the global log and move the checkpoint',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  }),
};

/** Counts one outcome: accepted, or rejected with its code. */
export function countOutcome(
  outcome: { type: string; data: unknown },
  channel: 'kafka' | 'http',
): void {
  const code = (outcome.data as { code?: string }).code ?? '';
  messagingMetrics.outcomes.inc({ type: outcome.type, code, channel });
}
