import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleDestroy,
} from '@nestjs/common';
import { EachMessagePayload, Kafka } from 'kafkajs';
import { BehaviorSubject, Observable, Subject } from 'rxjs';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { CONSUMER_GROUPS, ConsumerRunner, KafkaAdminSession } from '@backbone/messaging';
import { rootLogger } from '@backbone/observability';
import { opsConsoleMetrics } from '../metrics/ops-console-metrics';
import { BackgroundConsumer } from '../background-consumer';
import { ThroughputCounter } from './throughput';
import { TailEntry, tailEntryOf } from './tail-entry';

/** Recent entries a newly opened console starts with. */
const RECENT = 200;
/**
 * A console redraws a few times a second, so the tail fetches a few times a second. Answered as
 * soon as one record is there, it fetched as often as the projector, which must (36 fetches a
 * second at 100 commands a second), each one work for the broker and this process.
 */
const TAIL_FETCH_PACING = { minBytes: 64 * 1024, maxWaitTimeInMs: 250 };

/**
 * Follows `referrals.events` from the moment the console started, for the live tail and the
 * throughput chart. Its consumer group is its own (every instance sees every event) and commits
 * nothing: a restart starts at the end again. Only the safe fields of each event are kept.
 */
@Injectable()
export class EventsTail implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = rootLogger.child({ component: 'ops-console-tail' });
  private readonly entries = new Subject<TailEntry>();
  private readonly recentEntries: TailEntry[] = [];
  private readonly closing = new Subject<void>();
  /** Per partition, the next offset to take: a seek may fetch some records twice. */
  private readonly next = new Map<number, bigint>();
  private readonly consumer = new BackgroundConsumer('live tail', this.logger);
  private readonly live = new BehaviorSubject(false);
  readonly throughput = new ThroughputCounter();

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: TopicNames,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  /** Whether the tail follows the topic (it has its partitions): now, then on each change. */
  get following(): Observable<boolean> {
    return this.live.asObservable();
  }

  get stream(): Observable<TailEntry> {
    return this.entries.asObservable();
  }

  /** Emits when the application stops: open streams end, so the HTTP server can close. */
  get closed(): Observable<void> {
    return this.closing.asObservable();
  }

  recent(): TailEntry[] {
    return [...this.recentEntries];
  }

  onApplicationBootstrap(): void {
    this.consumer.start(() => this.consumerFromTheEnd());
  }

  private async consumerFromTheEnd(): Promise<ConsumerRunner> {
    const topic = this.topics.events;
    // Where the topic ends now: the tail starts exactly here, so that an event recorded after
    // start-up is never missed while the group is still being joined.
    const admin = new KafkaAdminSession(this.kafka);
    try {
      const ends = await admin.use((a) => a.fetchTopicOffsets(topic), 10_000);
      for (const { partition, high } of ends) this.next.set(partition, BigInt(high));
    } finally {
      await admin.close();
    }
    return new ConsumerRunner(
      this.kafka,
      {
        groupId: CONSUMER_GROUPS.liveTail(this.config.topicPrefix, randomUUID()),
        topics: [topic],
        fromBeginning: false,
        pacing: TAIL_FETCH_PACING,
        onAssigned: (consumer, assignment) => {
          for (const partition of assignment[topic] ?? []) {
            const offset = this.next.get(partition) ?? 0n;
            consumer.seek({ topic, partition, offset: offset.toString() });
          }
          if (!this.live.value) this.live.next(true);
        },
        run: () => ({ autoCommit: false, eachMessage: (payload) => this.take(payload) }),
      },
      this.logger,
    );
  }

  /** Before the HTTP server closes (it waits for open connections): end every tail stream. */
  onModuleDestroy(): void {
    this.closing.next();
    this.closing.complete();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
    this.live.complete();
    this.entries.complete();
  }

  private async take({ partition, message }: EachMessagePayload): Promise<void> {
    const offset = BigInt(message.offset);
    if (offset < (this.next.get(partition) ?? 0n)) return;
    this.next.set(partition, offset + 1n);
    let entry: TailEntry | undefined;
    try {
      entry = tailEntryOf({ ...message, partition });
    } catch {
      entry = undefined; // whatever the record holds, the tail goes on to the next
    }
    if (!entry) {
      opsConsoleMetrics.recordsIsolated.inc({ follower: 'live-tail', outcome: 'not_an_event' });
      this.logger.warn({ partition, offset: message.offset }, 'a record that is no event: skipped');
      return;
    }
    this.throughput.count(entry.type);
    opsConsoleMetrics.eventsObserved.inc({ type: entry.type });
    this.recentEntries.push(entry);
    if (this.recentEntries.length > RECENT) this.recentEntries.shift();
    this.entries.next(entry);
  }
}
