import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, OnApplicationBootstrap, OnApplicationShutdown, Inject } from '@nestjs/common';
import { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { Pool } from 'pg';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import {
  PIPELINED_POOL,
  inPipelinedTransaction,
  registerQuarantineGauge,
  settledInOrder,
} from '@backbone/database';
import {
  BatchGroups,
  CONSUMER_GROUPS,
  ConsumerRunner,
  messagingMetrics,
  recordSpans,
} from '@backbone/messaging';
import { rootLogger } from '@backbone/observability';
import { SpanStatusCode } from '@opentelemetry/api';
import {
  PartitionLag,
  projectorMetrics,
  registerProjectionLagGauges,
} from '../metrics/projector-metrics';
import { readRowsFor, writeFoldedRows } from './apply-to-table';
import { CulpritIsolation, worthIsolating } from './culprit-isolation';
import { FreshEvents, OffsetGapError, freshOf, readRecords } from './fresh-records';
import { ProjectorOffsets, partitionKey } from './projector-offsets';
import { READ_MODELS, ReadModelName } from './read-models';

/** How many partitions of the events topic are handed over at the same time. */
const PARTITIONS_IN_PARALLEL = 3;
/** A partition whose group failed waits this long before its next try, doubling up to the most. */
const RETRY_DELAY_MS = { first: 100, most: 5_000 };

/** One partition's fetched records, the offset after them, and whom to tell of its claim. */
interface PartitionBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
  next: bigint;
  /** Called once the group holds the partition's offset row (see `claimed` below). */
  claimed: () => void;
}

/** The latest batch of a partition handed over: when its group claimed the partition, and its end. */
interface HandedBatch {
  claimed: Promise<void>;
  done: Promise<void>;
}

/** Records of a partition that are gone from Kafka (retention) and were skipped, logged once. */
interface SkippedRange {
  from: bigint;
  to: bigint;
}

/**
 * Builds the read models from `referrals.events`. The partitions' batches are applied in groups
 * (BatchGroups): a group's read-model changes and each of its partitions' next offset commit in
 * one PostgreSQL transaction; records below a stored offset are never applied again, and on
 * assignment the consumer seeks to the stored offsets. Nothing is committed to Kafka: PostgreSQL
 * is the authority, and the ops console reads the projector's position from there.
 *
 * A batch is answered to kafkajs once its group holds the partition's offset row, not once it
 * commits, so that the next fetch overlaps the commit (kafkajs fetches again only when a fetch's
 * batches are answered). The partition's next group may start then too: its claim waits in
 * PostgreSQL for that row, and then sees what the group before applied. Should that group fail,
 * the next one finds the partition's offset behind its first record (OffsetGapError) and fails
 * as well, and the partition is read again from where the read models are.
 *
 * A group that fails for a reason other than a passing fault is taken apart (CulpritIsolation):
 * each of its partitions' batches is applied alone, and one that still fails record by record;
 * the record that fails alone is quarantined with the offset that passes it, and the rest is
 * applied. The partition's later batches wait until that is done.
 */
@Injectable()
export class ProjectorConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = rootLogger.child({ component: 'projector' });
  private readonly groupId: string;
  private readonly offsets: ProjectorOffsets;
  /** Partitions' batches handed over together are applied in one transaction (a group commit). */
  private readonly groups = new BatchGroups<PartitionBatch, FreshEvents>(
    (batches) => this.applyGroup(batches),
    { inFlight: 2, maxSize: 2_000, sizeOf: (batch) => batch.messages.length },
  );
  private readonly lag = new Map<string, PartitionLag>();
  /** By partition: its latest batch handed over, until it is done. */
  private readonly handed = new Map<string, HandedBatch>();
  /** By partition: the wait before its next try, and until when; set while groups fail. */
  private readonly retries = new Map<string, { delayMs: number; until: number }>();
  /** By partition: records Kafka had deleted when they were due, skipped (see `skipIfGone`). */
  private readonly skipped = new Map<string, SkippedRange>();
  /** By partition: a failed batch being applied record by record (see CulpritIsolation). */
  private readonly isolating = new Map<string, Promise<void>>();
  private readonly isolation: CulpritIsolation;
  private runner?: ConsumerRunner;
  private stopping = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: TopicNames,
    private readonly pool: Pool,
    @Inject(PIPELINED_POOL) private readonly pipelinedPool: Pool,
    @Inject(BACKBONE_CONFIG) config: BackboneConfig,
  ) {
    this.groupId = CONSUMER_GROUPS.projector(config.topicPrefix, 'referral-views');
    this.offsets = new ProjectorOffsets(this.groupId);
    this.isolation = new CulpritIsolation(pool, this.offsets, this.logger);
  }

  async onApplicationBootstrap(): Promise<void> {
    registerProjectionLagGauges(this.pool, () => this.lag.values());
    registerQuarantineGauge(this.pool);
    this.runner = new ConsumerRunner(
      this.kafka,
      {
        groupId: this.groupId,
        topics: [this.topics.events],
        fromBeginning: true,
        onAssigned: (consumer, assignment) => void this.seekToStoredOffsets(consumer, assignment),
        run: (consumer) => ({
          autoCommit: false,
          // Partitions are handed over side by side, each strictly in order: a row only ever
          // takes events of its own stream, whose key keeps them in one partition, and each
          // partition's batch claims its own offset row.
          partitionsConsumedConcurrently: PARTITIONS_IN_PARALLEL,
          eachBatch: (payload) => this.handOver(consumer, payload),
        }),
      },
      this.logger,
    );
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.runner?.stop();
    // Batches answered to kafkajs may still be committing.
    await Promise.all([...this.handed.values()].map((batch) => batch.done));
  }

  /**
   * Starts each assigned partition where PostgreSQL says the read models are. A fetch already
   * under way may still deliver older records: `applyGroup` skips them by offset.
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
   * Hands a batch over to be applied, once the partition's batch before it is claimed (or has
   * failed), and answers kafkajs without waiting for the commit.
   */
  private async handOver(consumer: Consumer, payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const key = partitionKey(batch);
    await this.handed.get(key)?.claimed;
    await this.isolating.get(key);
    // Stale: fetched before the partition was sent back (a seek); it is fetched again from there.
    if (!batch.messages.length || payload.isStale()) return;
    const retry = this.retries.get(key);
    if (retry && retry.until > Date.now()) await sleep(retry.until - Date.now());
    let claimed!: () => void;
    const claim = new Promise<void>((resolve) => (claimed = resolve));
    const done = this.applyBatch(payload, claimed).then(
      () => {
        this.retries.delete(key);
      },
      (error: unknown) => {
        if (worthIsolating(error) && !this.stopping) {
          // Later batches of the partition wait for it (those handed over already fail on the
          // gap and are read again).
          const isolated = this.isolate(consumer, payload);
          this.isolating.set(key, isolated);
          claimed();
          return isolated.finally(() => {
            if (this.isolating.get(key) === isolated) this.isolating.delete(key);
          });
        }
        this.sendBack(consumer, payload, error);
        claimed(); // the next batch may go on: it was fetched before the seek, and is skipped
      },
    );
    this.handed.set(key, { claimed: claim, done });
  }

  /** The failed batch applied apart, record by record where it must (CulpritIsolation). */
  private async isolate(consumer: Consumer, payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const key = partitionKey(batch);
    try {
      const next = BigInt(batch.lastOffset()) + 1n;
      const applied = await this.isolation.apply({ ...batch, messages: batch.messages, next });
      this.retries.delete(key);
      this.observeLag(batch.topic, batch.partition, BigInt(batch.highWatermark) - next, applied);
    } catch (error) {
      this.sendBack(consumer, payload, error);
    }
  }

  private sendBack(consumer: Consumer, payload: EachBatchPayload, error: unknown): void {
    try {
      this.readAgain(consumer, payload, error);
    } catch (seekError) {
      // The consumer stopped meanwhile: its next start seeks to the stored offsets anyway.
      this.logger.warn({ err: seekError }, 'could not send the partition back');
    }
  }

  /**
   * After a failed group, the partition is read again from its failed batch (or, for a gap,
   * from its stored offset), and its next try waits a little longer each time.
   */
  private readAgain(consumer: Consumer, payload: EachBatchPayload, error: unknown): void {
    const { batch } = payload;
    const key = partitionKey(batch);
    const first = BigInt(batch.messages[0].offset);
    // A batch after a failed one may fail for another reason too (the database gone): read
    // from its first record, the gap it then meets sends the partition back further.
    const from = error instanceof OffsetGapError ? error.expected : first;
    const delayMs = Math.min(
      RETRY_DELAY_MS.most,
      (this.retries.get(key)?.delayMs ?? RETRY_DELAY_MS.first / 2) * 2,
    );
    this.retries.set(key, { delayMs, until: Date.now() + delayMs });
    if (error instanceof OffsetGapError) {
      // Expected when the group before failed; the partition's records may also be gone from
      // Kafka (retention), which reading again cannot mend.
      void this.skipIfGone(error);
      this.logger.debug({ err: error }, 'batch after a failed one; the partition is read again');
    } else {
      this.logger.warn({ err: error, partition: key }, 'group failed; the partition is read again');
    }
    if (this.stopping) return;
    consumer.seek({ topic: batch.topic, partition: batch.partition, offset: String(from) });
  }

  /**
   * Records before the partition's earliest offset on Kafka were deleted (retention): no reading
   * again brings them back. They are skipped, loudly; a rebuild brings their events in from the
   * store.
   */
  private async skipIfGone(gap: OffsetGapError): Promise<void> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const offsets = await admin.fetchTopicOffsets(gap.topic);
      const earliest = offsets.find((o) => o.partition === gap.partition)?.low;
      if (earliest === undefined || BigInt(earliest) <= gap.expected) return;
      this.skipped.set(partitionKey(gap), { from: gap.expected, to: BigInt(earliest) });
      this.logger.error(
        { partition: partitionKey(gap), from: String(gap.expected), to: earliest },
        'records no longer on Kafka were skipped; run projections:rebuild to bring their events in from the store',
      );
    } catch (error) {
      this.logger.warn({ err: error }, 'could not read the earliest offsets on Kafka');
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /**
   * Applies the batch in its group, and observes its lag once committed. `claimed` is called
   * once the group holds the partition's offset row.
   */
  private async applyBatch(payload: EachBatchPayload, claimed: () => void): Promise<void> {
    const { batch } = payload;
    // Each event's projection continues the trace of the command that caused it.
    const spans = recordSpans('project event', batch, batch.messages);
    try {
      const next = BigInt(batch.lastOffset()) + 1n;
      const [applied] = await this.groups.submit([
        { topic: batch.topic, partition: batch.partition, messages: batch.messages, next, claimed },
      ]);
      this.observeLag(batch.topic, batch.partition, BigInt(batch.highWatermark) - next, applied);
    } catch (error) {
      messagingMetrics.batchesRetried.inc({ consumer: 'projector' });
      for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      for (const span of spans) span.end();
    }
  }

  private observeLag(
    topic: string,
    partition: number,
    behind: bigint,
    { events, producedAt }: FreshEvents,
  ): void {
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
    const key = partitionKey({ topic, partition });
    this.lag.set(key, {
      behind: Math.max(0, Number(behind)),
      lastAppliedAt: lastAppliedAt ?? this.lag.get(key)?.lastAppliedAt,
    });
  }

  /**
   * Applies several partitions' batches in one transaction: their read-model changes and every
   * partition's next offset commit together. Records below a partition's stored offset were
   * applied by an earlier delivery and are skipped.
   */
  private async applyGroup(batches: PartitionBatch[]): Promise<FreshEvents[]> {
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
        const records = batches.map((batch) => readRecords(batch.messages));
        const every = records.flatMap((batch) => batch.flatMap(({ event }) => event ?? []));
        // The group's reads go to PostgreSQL together: its partitions' offsets, claimed first
        // (the lock that orders two groups of one partition), then each model's rows for all
        // its events, a few of which may prove to be applied already.
        const claim = this.offsets.claim(client, batches);
        void claim.then(() => batches.forEach((batch) => batch.claimed())).catch(() => undefined);
        const [from, ...rows] = await settledInOrder([
          claim,
          ...models.map((model) => readRowsFor(client, model.projection, every, model.table)),
        ]);
        const fresh = batches.map((batch, i) =>
          freshOf(batch, records[i], this.nextToApply(batch, from), (offset) =>
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

  /** The partition's stored offset, or past the records Kafka no longer has (`skipIfGone`). */
  private nextToApply(batch: PartitionBatch, claimed: Map<string, bigint>): bigint {
    const key = partitionKey(batch);
    const from = claimed.get(key) ?? 0n;
    const skipped = this.skipped.get(key);
    return skipped && skipped.from === from ? skipped.to : from;
  }
}
