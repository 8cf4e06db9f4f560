import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SpanStatusCode } from '@opentelemetry/api';
import {
  Consumer,
  EachBatchPayload,
  Kafka,
  KafkaMessage,
  Message,
  Producer,
  TopicMessages,
} from 'kafkajs';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { Sector, TopicNames } from '@backbone/contracts';
import { Directory } from '@backbone/directory';
import {
  ANSWER_PRODUCER,
  backboneTopics,
  createConsumer,
  ensureTopics,
  countOutcome,
  messagingMetrics,
  toKafkaMessage,
} from '@backbone/messaging';
import {
  contextOfHeaders,
  rootLogger,
  startConsumerSpan,
  traceHeadersOf,
} from '@backbone/observability';
import { CommandGroups } from './command-groups';
import { ProcessedCommand } from './command-processor';

/** How many command-topic partitions are answered at the same time. */
const PARTITIONS_IN_PARALLEL = 8;
/** The most records of one partition decided in one transaction. */
const MAX_RECORDS_DECIDED_TOGETHER = 100;

/**
 * Consumes the command topics of this sector's agencies and answers every record on the
 * sender's outcomes topic. The partitions' fetched records are decided in groups (CommandGroups)
 * and each partition's answers produced in one request; an offset is committed only after its
 * answer is acknowledged.
 */
@Injectable()
export class KafkaCommandConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = rootLogger.child({ component: 'command-consumer' });
  private consumer?: Consumer;
  /** The agencies whose command topics the consumer is subscribed to. */
  private agencies: string[] = [];
  /** Directory changes are followed one at a time, in order. */
  private changes: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: TopicNames,
    private readonly directory: Directory,
    private readonly groups: CommandGroups,
    @Inject(ANSWER_PRODUCER) private readonly producer: Producer,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // A changed directory may add or remove agencies of this sector: follow it without a restart.
    this.directory.onChange(() => {
      this.changes = this.changes.then(() => this.followDirectoryUntilDone());
    });
    await this.consume(this.sectorAgencies());
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.changes;
    await this.consumer?.disconnect();
  }

  private sectorAgencies(): string[] {
    const sector = this.config.sector as Sector | undefined;
    return this.directory
      .agenciesInSector(sector)
      .map((agency) => agency.id)
      .sort();
  }

  private async consume(agencies: string[]): Promise<void> {
    if (!agencies.length) {
      this.agencies = agencies;
      this.logger.warn(
        { sector: this.config.sector },
        'no agencies in this sector; consuming nothing',
      );
      return;
    }
    const groupId = `${this.config.topicPrefix}referral-backbone.sector-service.${this.config.sector ?? 'all'}`;
    this.consumer = createConsumer(this.kafka, groupId);
    await this.consumer.connect();
    // From the beginning for a new group: commands sent before the first start are answered too.
    await this.consumer.subscribe({
      topics: agencies.map((agency) => this.topics.commands(agency)),
      fromBeginning: true,
    });
    // Partitions are answered concurrently, each strictly in order: one referral's commands
    // share a key, hence a partition, so they are never reordered.
    await this.consumer.run({
      partitionsConsumedConcurrently: PARTITIONS_IN_PARALLEL,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.answerBatch(payload),
    });
    // Recorded only once consuming: a failed attempt is retried in full.
    this.agencies = agencies;
    this.logger.info({ groupId, agencies: agencies.length }, 'consuming command topics');
  }

  /** Follows a directory change, retrying transient Kafka faults until it succeeds or stops. */
  private async followDirectoryUntilDone(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        await this.followDirectory();
        return;
      } catch (error) {
        this.logger.warn(
          { err: error, attempt },
          'could not follow the directory change yet; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, Math.min(500 * attempt, 10_000)));
      }
    }
  }

  /** Re-subscribes when this sector's agencies changed, creating the new agencies' topics first. */
  private async followDirectory(): Promise<void> {
    const agencies = this.sectorAgencies();
    if (this.stopped || agencies.join() === this.agencies.join()) return;
    const added = agencies.filter((agency) => !this.agencies.includes(agency));
    await ensureTopics(this.kafka, backboneTopics(this.topics, added, this.config.topicPartitions));
    // Disconnecting finishes the record in hand and commits its offset: nothing is answered twice.
    await this.consumer?.disconnect();
    this.consumer = undefined;
    await this.consume(agencies);
  }

  /**
   * A batch that fails (the database or the broker unreachable) is thrown back to kafkajs, which
   * fetches the same partition from the same offset again, with backoff: the partition waits
   * rather than letting later records overtake, so one referral's commands stay in order.
   */
  private async answerBatch(payload: EachBatchPayload): Promise<void> {
    try {
      await this.answerRecords(payload);
    } catch (error) {
      messagingMetrics.batchesRetried.inc({ consumer: 'sector-service' });
      this.logger.warn(
        { err: error, topic: payload.batch.topic, partition: payload.batch.partition },
        'could not answer a batch; it will be tried again from the same offset',
      );
      throw error;
    }
  }

  private async answerRecords(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const agencyId = this.topics.agencyOfCommandTopic(batch.topic) as string;
    for (let start = 0; start < batch.messages.length; start += MAX_RECORDS_DECIDED_TOGETHER) {
      // A rebalance or shutdown took the partition: the rest is answered by whoever has it.
      if (!payload.isRunning() || payload.isStale()) return;
      const records = batch.messages.slice(start, start + MAX_RECORDS_DECIDED_TOGETHER);
      // One span per record, continuing the sender's trace when it sent one.
      const spans = records.map((message) =>
        startConsumerSpan('answer command', contextOfHeaders(message.headers), {
          'messaging.system': 'kafka',
          'messaging.destination.name': batch.topic,
          'messaging.kafka.partition': batch.partition,
          'messaging.kafka.offset': message.offset,
        }),
      );
      try {
        const traces = spans.map(traceHeadersOf);
        const results = await this.groups.decide(
          records.map((message, i) => ({
            value: message.value,
            agencyId,
            traceparent: traces[i].traceparent,
          })),
        );
        await this.sendAnswers(batch.topic, batch.partition, agencyId, records, results, traces);
        results.forEach((result, i) => spans[i].setAttributes(spanOutcome(result)));
      } catch (error) {
        for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        for (const span of spans) span.end();
      }
      payload.resolveOffset(records[records.length - 1].offset);
      await payload.heartbeat();
    }
  }

  /** Every answer of the records, and their dead letters, in one acknowledged request. */
  private async sendAnswers(
    topic: string,
    partition: number,
    agencyId: string,
    records: KafkaMessage[],
    results: ProcessedCommand[],
    traces: Record<string, string>[],
  ): Promise<void> {
    const outcomes: Message[] = [];
    const deadLetters: Message[] = [];
    results.forEach((result, i) => {
      const message = records[i];
      if (result.kind === 'answered') {
        const { outcome } = result;
        outcomes.push(
          toKafkaMessage(outcome, outcome.subject || outcome.data.commandId, traces[i]),
        );
        return;
      }
      this.logger.warn(
        // Not `reason`: log redaction censors that name, a personal field in the contracts.
        { topic, partition, offset: message.offset, deadLetterReason: result.reason },
        'dead-lettered a command',
      );
      deadLetters.push({
        key: message.key,
        value: message.value,
        headers: {
          'dlq-reason': result.reason,
          'dlq-source-topic': topic,
          'dlq-source-partition': String(partition),
          'dlq-source-offset': message.offset,
          ...traces[i],
        },
      });
    });
    const topicMessages: TopicMessages[] = [
      { topic: this.topics.outcomes(agencyId), messages: outcomes },
      { topic: this.topics.deadLetter, messages: deadLetters },
    ].filter((entry) => entry.messages.length);
    await this.producer.sendBatch({ topicMessages, acks: -1 });
    for (const result of results) {
      if (result.kind === 'answered') countOutcome(result.outcome, 'kafka');
    }
    messagingMetrics.commandsConsumed.inc({ result: 'answered' }, outcomes.length);
    messagingMetrics.commandsConsumed.inc({ result: 'dead_letter' }, deadLetters.length);
  }
}

/** What a span may say of a command's answer: its kind and rejection code, nothing personal. */
function spanOutcome(result: ProcessedCommand): Record<string, string> {
  if (result.kind === 'unanswerable') return { 'backbone.outcome': 'dead-letter' };
  const code = (result.outcome.data as { code?: string }).code;
  return {
    'backbone.outcome': result.outcome.type,
    ...(code ? { 'backbone.rejection.code': code } : {}),
  };
}
