import { Injectable, OnApplicationBootstrap, OnApplicationShutdown, Inject } from '@nestjs/common';
import { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { Pool } from 'pg';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { CloudEvent, TopicNames } from '@backbone/contracts';
import { PIPELINED_POOL, inPipelinedTransaction, settledInOrder } from '@backbone/database';
import { BatchGroups, createConsumer, messagingMetrics } from '@backbone/messaging';
import { contextOfHeaders, rootLogger, startConsumerSpan } from '@backbone/observability';
import { SpanStatusCode } from '@opentelemetry/api';
import {
  PartitionLag,
  projectorMetrics,
  registerProjectionLagGauges,
} from '../metrics/projector-metrics';
import { readRowsFor, writeFoldedRows } from './apply-to-table';
import { ProjectorOffsets, partitionKey } from './projector-offsets';
import { READ_MODELS, ReadModelName } from './read-models';

/** How many partitions of the events topic are handed over at the same time. */
const PARTITIONS_IN_PARALLEL = 3;

/** One partition's fetched records, and the offset after them. */
interface PartitionBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
  next: bigint;
}

/** What a partition's batch applied: its fresh events and when each record was produced. */
interface PartitionApplied {
  events: CloudEvent[];
  producedAt: number[];
}

/** A record of the events topic, read: `event` is undefined when it is not JSON. */
interface ParsedRecord {
  offset: bigint;
  event?: CloudEvent;
  producedAt: number;
}

/**
 * The records not yet applied (at or after `from`), with when each was produced; those that
 * cannot be read are told to `unreadable` and skipped.
 */
function freshOf(
  records: ParsedRecord[],
  from: bigint | undefined,
  unreadable: (offset: bigint) => void,
): PartitionApplied {
  const applied: PartitionApplied = { events: [], producedAt: [] };
  for (const { offset, event, producedAt } of records) {
    if (offset < (from ?? 0n)) continue; // applied by an earlier delivery
    if (!event) {
      unreadable(offset);
      continue;
    }
    applied.events.push(event);
    applied.producedAt.push(producedAt);
  }
  return applied;
}

/**
 * Builds the read models from `referrals.events`. The partitions' batches are applied in groups
 * (BatchGroups): a group's read-model changes and each of its partitions' next offset commit in
 * one PostgreSQL transaction; records below a stored offset are never applied again, and on
 * assignment the consumer seeks to the stored offsets. Nothing is committed to Kafka: PostgreSQL
 * is the authority, and the ops console reads the projector's position from there.
 */
@Injectable()
export class ReferralViewsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = rootLogger.child({ component: 'projector' });
  private readonly groupId: string;
  private readonly offsets: ProjectorOffsets;
  /** Partitions' batches handed over together are applied in one transaction (a group commit). */
  private readonly groups = new BatchGroups<PartitionBatch, PartitionApplied>(
    (batches) => this.applyGroup(batches),
    { inFlight: 2, maxSize: 2_000, sizeOf: (batch) => batch.messages.length },
  );
  private readonly lag = new Map<string, PartitionLag>();
  private consumer?: Consumer;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: TopicNames,
    private readonly pool: Pool,
    @Inject(PIPELINED_POOL) private readonly pipelinedPool: Pool,
    @Inject(BACKBONE_CONFIG) config: BackboneConfig,
  ) {
    this.groupId = `${config.topicPrefix}referral-backbone.projector.referral-views`;
    this.offsets = new ProjectorOffsets(this.groupId);
  }

  async onApplicationBootstrap(): Promise<void> {
    registerProjectionLagGauges(this.pool, () => this.lag.values());
    const consumer = createConsumer(this.kafka, this.groupId);
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      void this.seekToStoredOffsets(consumer, payload.memberAssignment);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [this.topics.events], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      // Partitions are handed over side by side, each strictly in order: a row only ever takes
      // events of its own stream, whose key keeps them in one partition, and each partition's
      // batch claims its own offset row.
      partitionsConsumedConcurrently: PARTITIONS_IN_PARALLEL,
      eachBatch: (payload) => this.applyBatch(payload),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.disconnect();
  }

  /**
   * Starts each assigned partition where PostgreSQL says the read models are. A fetch already
   * under way may still deliver older records: `applyBatch` skips them by offset.
   */
  private async seekToStoredOffsets(
    consumer: Consumer,
    assignment: Record<string, number[]>,
  ): Promise<void> {
    try {
      const stored = await this.offsets.readAll(this.pool, Object.keys(assignment));
      for (const { topic, partition, nextOffset } of stored) {
        if (assignment[topic]?.includes(partition))
          consumer.seek({ topic, partition, offset: nextOffset });
      }
    } catch (error) {
      // Not fatal: without the seek, records already applied are fetched again and skipped.
      this.logger.warn({ err: error }, 'could not seek to the stored offsets');
    }
  }

  /**
   * A batch that fails (the database unreachable) goes back to kafkajs, which fetches it again
   * from the same offset: nothing is skipped or reordered, and the offsets guard skips what a
   * committed earlier attempt applied.
   */
  private async applyBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (!batch.messages.length) return;
    // Each event's projection continues the trace of the command that caused it.
    const spans = batch.messages.map((message) =>
      startConsumerSpan('project event', contextOfHeaders(message.headers), {
        'messaging.system': 'kafka',
        'messaging.destination.name': batch.topic,
        'messaging.kafka.partition': batch.partition,
        'messaging.kafka.offset': message.offset,
      }),
    );
    try {
      await this.applyRecords(payload);
    } catch (error) {
      messagingMetrics.batchesRetried.inc({ consumer: 'projector' });
      for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      for (const span of spans) span.end();
    }
  }

  private async applyRecords(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const next = BigInt(batch.lastOffset()) + 1n;
    const [{ events, producedAt }] = await this.groups.submit([
      { topic: batch.topic, partition: batch.partition, messages: batch.messages, next },
    ]);
    const committedAt = Date.now();
    let lastAppliedAt: number | undefined;
    events.forEach((event, i) => {
      // The record's timestamp is when the publisher produced it: the lag splits there into
      // the publisher's part and Kafka's and the projector's.
      if (producedAt[i] > 0)
        projectorMetrics.consumeLagSeconds.observe(Math.max(0, committedAt - producedAt[i]) / 1000);
      const recordedAt = Date.parse(event.time);
      if (Number.isNaN(recordedAt)) return;
      lastAppliedAt = recordedAt / 1000;
      projectorMetrics.eventLagSeconds.observe(Math.max(0, committedAt - recordedAt) / 1000);
    });
    const key = partitionKey(batch);
    this.lag.set(key, {
      behind: Math.max(0, Number(BigInt(batch.highWatermark) - next)),
      lastAppliedAt: lastAppliedAt ?? this.lag.get(key)?.lastAppliedAt,
    });
    payload.resolveOffset(batch.lastOffset());
  }

  /**
   * Applies several partitions' batches in one transaction: their read-model changes and every
   * partition's next offset commit together. Records below a partition's stored offset were
   * applied by an earlier delivery and are skipped.
   */
  private async applyGroup(batches: PartitionBatch[]): Promise<PartitionApplied[]> {
    const timer = projectorMetrics.batchSeconds.startTimer();
    // Counted only once committed: a group that rolls back is applied again later.
    const applied = new Map<ReadModelName, number>();
    // Read models are derived, and their offsets commit with them: a group lost to a crash of
    // PostgreSQL is lost whole and applied again from those offsets, so its commit need not
    // wait for the disk (and does not add to the flushes the store's own commits wait for).
    const models = Object.values(READ_MODELS);
    const results = await inPipelinedTransaction(
      this.pipelinedPool,
      async (client, commit) => {
        applied.clear();
        const records = batches.map(readRecords);
        const every = records.flatMap((batch) => batch.flatMap(({ event }) => event ?? []));
        // The group's reads go to PostgreSQL together: its partitions' offsets, claimed first
        // (the lock that orders two consumers of one partition), then each model's rows for
        // all its events, a few of which may prove to be applied already.
        const [from, ...rows] = await settledInOrder([
          this.offsets.claim(client, batches),
          ...models.map((model) => readRowsFor(client, model.projection, every, model.table)),
        ]);
        const fresh = batches.map((batch, i) =>
          freshOf(records[i], from.get(partitionKey(batch)), (offset) =>
            this.logger.error(
              { offset: String(offset) },
              'unreadable record on the events topic; skipped',
            ),
          ),
        );
        // A row only ever takes events of its own stream, whose records share a partition, so
        // the partitions' events fold together as they would one partition after another.
        const events = fresh.flatMap((batch) => batch.events);
        // The whole group per model: folded in memory, written once; the writes, the offsets'
        // advance and the COMMIT go together too (the group is two round trips in all).
        const writes = models.map((model, i) => {
          const folded = writeFoldedRows(client, model.projection, rows[i], events, model.table);
          if (folded.taken) applied.set(model.name, folded.taken);
          return folded.written;
        });
        await settledInOrder([...writes, this.offsets.advance(client, batches), commit()]);
        return fresh;
      },
      { synchronousCommit: false },
    );
    timer();
    for (const [model, count] of applied) projectorMetrics.eventsApplied.inc({ model }, count);
    return results;
  }
}

/** The batch's records, each read as JSON where it can be. */
function readRecords(batch: PartitionBatch): ParsedRecord[] {
  return batch.messages.map((message) => ({
    offset: BigInt(message.offset),
    event: readEvent(message),
    producedAt: Number(message.timestamp),
  }));
}

/** The record's event, or undefined when it is not JSON. */
function readEvent(message: KafkaMessage): CloudEvent | undefined {
  try {
    return JSON.parse(String(message.value)) as CloudEvent;
  } catch {
    return undefined;
  }
}
