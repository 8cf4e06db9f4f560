import { Kafka, Partitioners, Producer, ProducerBatch, RecordMetadata } from 'kafkajs';
import { acknowledgingProducer } from './acknowledged-sends';
import { DEFAULT_SPLIT_BUDGET, hasErrorType, sendInParts } from './split-sends';
import type { SplitBudget } from './split-to-fit';

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

/** Whether `error`, or an error it wraps, is one of those answers. */
export const isProducerStateError = (error: unknown): boolean =>
  hasErrorType(error, PRODUCER_STATE_ERRORS);

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
  private producer: Producer;
  /** A producer made by `renew`, connected by the next send. */
  private renewed = false;

  /** `newProducer` makes each producer in turn (`LogProducer.for` gives kafkajs's). */
  constructor(
    private readonly newProducer: () => Producer,
    private readonly budget: SplitBudget = DEFAULT_SPLIT_BUDGET,
  ) {
    this.producer = newProducer();
  }

  static for(kafka: Kafka): LogProducer {
    return new LogProducer(() =>
      acknowledgingProducer(kafka, {
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
    return sendInParts(
      batch.topicMessages ?? [],
      async (topicMessages) => {
        try {
          return await this.producer.sendBatch({ ...batch, topicMessages });
        } catch (error) {
          if (isProducerStateError(error)) await this.renew();
          throw error;
        }
      },
      this.budget,
    );
  }

  /** Drops the stuck producer; the next send connects a new one. */
  private async renew(): Promise<void> {
    const stuck = this.producer;
    this.producer = this.newProducer();
    this.renewed = true;
    await stuck.disconnect().catch(() => undefined);
  }
}
