import {
  Kafka,
  Partitioners,
  Producer,
  ProducerBatch,
  RecordMetadata,
  TopicMessages,
} from 'kafkajs';
import { rootLogger } from '@backbone/observability';
import { messagingMetrics } from './messaging-metrics';
import { PRODUCE_BATCH_BUDGET_BYTES, PRODUCE_REQUEST_BUDGET_BYTES } from './record-limits';
import { SplitBudget, estimateRecordBytes, splitToFit } from './split-to-fit';

/**
 * Broker answers meaning an idempotent producer's sequence numbers no longer match what the
 * broker holds for its producer id (typically after the broker restarted while a request was in
 * flight). kafkajs keeps that producer id and its sequences for good, so every later send gets
 * the same answer: only a new producer id gets publishing going again.
 */
const PRODUCER_STATE_ERRORS = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
]);

/** Broker answers meaning a record batch, or a record alone, is over the topic's limit. */
const TOO_LARGE_ERRORS = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

const hasErrorType = (error: unknown, types: Set<string>): boolean => {
  for (let cause = error; cause instanceof Error; cause = (cause as { cause?: unknown }).cause) {
    if (types.has((cause as { type?: string }).type ?? '')) return true;
  }
  return false;
};

/** Whether `error`, or an error it wraps, is one of those answers. */
export const isProducerStateError = (error: unknown): boolean =>
  hasErrorType(error, PRODUCER_STATE_ERRORS);

/** Whether the broker refused a send as too large for its topic. */
export const isTooLargeError = (error: unknown): boolean => hasErrorType(error, TOO_LARGE_ERRORS);

const DEFAULT_BUDGET: SplitBudget = {
  batchBytes: PRODUCE_BATCH_BUDGET_BYTES,
  requestBytes: PRODUCE_REQUEST_BUDGET_BYTES,
};

/**
 * The producer the event log is published with: idempotent, one request in flight, so retries
 * never reorder a stream. When the broker stops recognising its sequence numbers, the failed
 * send is reported as usual (the publisher sends again from its checkpoint) and the next send
 * goes through a new producer, with a new producer id.
 *
 * A send is split into requests that fit the broker (see `splitToFit`), sent one after another,
 * each acknowledged before the next: a partition's records still go out in order. A record too
 * large for its topic even alone cannot be published at all: that is logged as an error and
 * counted every time it is tried, never retried silently.
 */
export class LogProducer {
  private readonly logger = rootLogger.child({ component: 'log-producer' });
  private producer: Producer;
  /** A producer made by `renew`, connected by the next send. */
  private renewed = false;

  /** `newProducer` makes each producer in turn (`LogProducer.for` gives kafkajs's). */
  constructor(
    private readonly newProducer: () => Producer,
    private readonly budget: SplitBudget = DEFAULT_BUDGET,
  ) {
    this.producer = newProducer();
  }

  static for(kafka: Kafka): LogProducer {
    return new LogProducer(() =>
      kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
      }),
    );
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  /** After this, sends fail as kafkajs's do: shutting down never reconnects. */
  async disconnect(): Promise<void> {
    this.renewed = false;
    await this.producer.disconnect();
  }

  async sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    if (this.renewed) {
      await this.producer.connect();
      this.renewed = false;
    }
    const results: RecordMetadata[] = [];
    const requests = splitToFit(batch.topicMessages ?? [], this.budget);
    // Nothing to send is still one send, as kafkajs's would be (it checks the connection).
    for (const topicMessages of requests.length ? requests : [[]]) {
      try {
        results.push(...(await this.producer.sendBatch({ ...batch, topicMessages })));
      } catch (error) {
        if (isProducerStateError(error)) await this.renew();
        if (isTooLargeError(error)) this.reportTooLarge(topicMessages, error);
        throw error;
      }
    }
    return results;
  }

  /** Loud: publishing cannot go past this record until the topic's limit is raised. */
  private reportTooLarge(topicMessages: TopicMessages[], error: unknown): void {
    for (const { topic, messages } of topicMessages) {
      const largest = messages.reduce((most, m) => Math.max(most, estimateRecordBytes(m)), 0);
      messagingMetrics.recordsTooLarge.inc({ topic });
      this.logger.error(
        { err: error, topic, records: messages.length, largestRecordBytes: largest },
        'the broker refused records as too large for the topic: publishing is stuck here until ' +
          "the topic's max.message.bytes is raised (every service raises it at start-up)",
      );
    }
  }

  /** Drops the stuck producer; the next send connects a new one. */
  private async renew(): Promise<void> {
    const stuck = this.producer;
    this.producer = this.newProducer();
    this.renewed = true;
    await stuck.disconnect().catch(() => undefined);
  }
}
