import { Inject, Injectable } from '@nestjs/common';
import { Message, TopicMessages } from 'kafkajs';
import { Pool } from 'pg';
import { PersonalDataOpener } from '@backbone/data-protection';
import { PUBLISHER_PART, SingleActiveInstance } from '@backbone/database';
import { TopicNames } from '@backbone/contracts';
import {
  EVENT_STORE,
  EventStore,
  PostgresCheckpointStore,
  StoredEvent,
  followGlobalLog,
  positionOf,
} from '@backbone/event-store';
import {
  BACKBONE_PRODUCER,
  LogProducer,
  messagingMetrics,
  toKafkaMessage,
} from '@backbone/messaging';
import { rootLogger } from '@backbone/observability';
import { partiesOf, toPublishedEvent } from './published-event';

export const PUBLISHER_CHECKPOINT = PUBLISHER_PART.checkpoint;

/**
 * Follows the store's global log and publishes every event to `referrals.events` (key = stream
 * id, so per-stream order holds) and to each party's inbox topic. The checkpoint moves only
 * after Kafka acknowledged the batch: a crash republishes, it never skips. Personal fields stay
 * sealed on `referrals.events`; each party's inbox gets them opened (or `[erased]`). One instance
 * publishes at a time, holding an advisory lock; another takes over when its session ends.
 */
@Injectable()
export class EventPublisher extends SingleActiveInstance {
  protected readonly logger = rootLogger.child({ component: 'publisher' });
  protected readonly lockKey = PUBLISHER_PART.lockKey;

  constructor(
    pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly checkpoints: PostgresCheckpointStore,
    private readonly topics: TopicNames,
    @Inject(BACKBONE_PRODUCER) private readonly producer: LogProducer,
    private readonly opener: PersonalDataOpener,
  ) {
    super(pool);
  }

  protected async runWhileActive(signal: AbortSignal): Promise<void> {
    let checkpoint = await this.checkpoints.read(PUBLISHER_CHECKPOINT);
    // A batch's checkpoint is written while the next batch is read and published, and waited
    // for before that one's: checkpoints still move in order, each only after Kafka took its
    // batch, and no event waits for the write. A checkpoint that fails shows at the next batch,
    // so at most one more batch goes out before the publisher stops; published again after a
    // restart, consumers skip it (they are idempotent by event id).
    let advancing: Promise<void> = Promise.resolve();
    try {
      await followGlobalLog(
        this.store,
        checkpoint,
        async (events) => {
          const timer = messagingMetrics.publishBatchSeconds.startTimer();
          const topicMessages = await this.messagesFor(events);
          await this.producer.sendBatch({ topicMessages, acks: -1 });
          await advancing;
          const from = checkpoint;
          checkpoint = positionOf(events[events.length - 1]);
          // Not waiting for the disk: a checkpoint lost to a crash of PostgreSQL only means
          // publishing those events again, which consumers skip.
          advancing = this.checkpoints.advance(PUBLISHER_CHECKPOINT, from, checkpoint, {
            synchronousCommit: false,
          });
          advancing.catch(() => undefined); // waited for at the next batch, or below
          messagingMetrics.eventsPublished.inc(events.length);
          timer();
        },
        // Woken by appends' NOTIFY, so an event waits for no poll before it is published.
        { signal, listen: () => this.store.listenForAppends() },
      );
    } finally {
      // The last batch's checkpoint, before the lock is let go.
      await advancing.catch((error: unknown) =>
        this.logger.warn({ err: error }, 'last checkpoint not recorded: its batch goes out again'),
      );
    }
  }

  private async messagesFor(events: StoredEvent[]): Promise<TopicMessages[]> {
    const opened = await this.opener.open(events);
    if (opened.unreadable.length) {
      this.logger.error(
        { fields: opened.unreadable },
        'sealed personal data failed authentication (altered in the store?): published as [unreadable]',
      );
    }
    const byTopic = new Map<string, TopicMessages>();
    const add = (topic: string, message: Message): void => {
      const entry = byTopic.get(topic) ?? { topic, messages: [] };
      entry.messages.push(message);
      byTopic.set(topic, entry);
    };
    events.forEach((event, index) => {
      // The trace of the command that caused the event goes on with it (W3C trace context).
      const { traceparent } = event.metadata;
      const trace: Record<string, string> = typeof traceparent === 'string' ? { traceparent } : {};
      add(this.topics.events, toKafkaMessage(toPublishedEvent(event), event.streamId, trace));
      const parties = partiesOf(event);
      if (!parties.length) return;
      // Every party's inbox gets the same opened record: it is built once.
      const forParties = toKafkaMessage(
        toPublishedEvent(opened.events[index]),
        event.streamId,
        trace,
      );
      for (const party of parties) add(this.topics.inbox(party), forParties);
    });
    return [...byTopic.values()];
  }
}
