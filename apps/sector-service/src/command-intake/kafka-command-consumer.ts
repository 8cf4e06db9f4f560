import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SpanStatusCode } from '@opentelemetry/api';
import { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { Sector, TopicNames } from '@backbone/contracts';
import { Directory } from '@backbone/directory';
import {
  CONSUMER_GROUPS,
  ConsumerRunner,
  backboneTopics,
  ensureTopics,
  messagingMetrics,
  recordSpans,
} from '@backbone/messaging';
import { rootLogger, traceHeadersOf } from '@backbone/observability';
import { CommandGroups } from './command-groups';
import { ProcessedCommand } from './command-processor';

/** The most records of one partition decided in one transaction. */
const MAX_RECORDS_DECIDED_TOGETHER = 100;

/**
 * Consumes the command topics of this sector's agencies and answers every record on the
 * sender's outcomes topic. The partitions' fetched records are answered in groups
 * (CommandGroups), which commit their offsets only once the answers are acknowledged.
 */
@Injectable()
export class KafkaCommandConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = rootLogger.child({ component: 'command-consumer' });
  private runner?: ConsumerRunner;
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
    await this.runner?.stop();
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
    const groupId = CONSUMER_GROUPS.commandIntake(this.config.topicPrefix, this.config.sector);
    this.runner = new ConsumerRunner(
      this.kafka,
      {
        groupId,
        topics: agencies.map((agency) => this.topics.commands(agency)),
        // A new group starts at the beginning: commands sent before the first start are answered.
        fromBeginning: true,
        // Partitions are answered concurrently, each strictly in order: one referral's commands
        // share a key, hence a partition, so they are never reordered.
        run: (consumer) => ({
          // Every partition of a fetch in hand at once, so that one group answers them all:
          // kafkajs fetches again only when the whole fetch is answered, and each group costs one
          // transaction, one produce and one offset commit whatever the number of partitions.
          partitionsConsumedConcurrently: agencies.length * this.config.topicPartitions,
          eachBatchAutoResolve: false,
          // A group commits its partitions' offsets itself, in one request, once answered.
          autoCommit: false,
          eachBatch: (payload) => this.answerBatch(consumer, payload),
        }),
      },
      this.logger,
    );
    await this.runner.start();
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
    await ensureTopics(
      this.kafka,
      backboneTopics(this.topics, added, this.config),
      this.config.kafkaReplication,
    );
    // Disconnecting finishes the record in hand and commits its offset: nothing is answered twice.
    await this.runner?.stop();
    await this.consume(agencies);
  }

  /**
   * A batch that fails (the database or the broker unreachable) is thrown back to kafkajs, which
   * fetches the same partition from the same offset again, with backoff: the partition waits
   * rather than letting later records overtake, so one referral's commands stay in order.
   */
  private async answerBatch(consumer: Consumer, payload: EachBatchPayload): Promise<void> {
    try {
      await this.answerRecords(consumer, payload);
    } catch (error) {
      messagingMetrics.batchesRetried.inc({ consumer: 'sector-service' });
      this.logger.warn(
        { err: error, topic: payload.batch.topic, partition: payload.batch.partition },
        'could not answer a batch; it will be tried again from the same offset',
      );
      throw error;
    }
  }

  private async answerRecords(consumer: Consumer, payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const agencyId = this.topics.agencyOfCommandTopic(batch.topic) as string;
    for (let start = 0; start < batch.messages.length; start += MAX_RECORDS_DECIDED_TOGETHER) {
      // A rebalance or shutdown took the partition: the rest is answered by whoever has it.
      if (!payload.isRunning() || payload.isStale()) return;
      const records = batch.messages.slice(start, start + MAX_RECORDS_DECIDED_TOGETHER);
      // One span per record, continuing the sender's trace when it sent one.
      const spans = recordSpans('answer command', batch, records);
      try {
        const results = await this.groups.answer({
          consumer,
          // Straight to the group coordinator, also while the consumer stops (kafkajs's
          // consumer.commitOffsets would skip it then, and the records be answered again).
          commit: (offsets) => payload.commitOffsetsIfNecessary(offsets),
          topic: batch.topic,
          partition: batch.partition,
          agencyId,
          records,
          traces: spans.map(traceHeadersOf),
        });
        results.forEach((result, i) => spans[i].setAttributes(spanOutcome(result)));
      } catch (error) {
        for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        for (const span of spans) span.end();
      }
      // Committed already: this moves kafkajs's fetch position past the records.
      payload.resolveOffset(records[records.length - 1].offset);
      await payload.heartbeat();
    }
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
