import { Inject, Injectable } from '@nestjs/common';
import { Producer } from 'kafkajs';
import {
  DEAD_LETTER_REDRIVEN_V1,
  DeadLetterRedrivenV1,
  TopicNames,
  backboneSource,
  deadLetterStreamId,
} from '@backbone/contracts';
import { derivedUuid } from '@backbone/domain';
import { EVENT_STORE, EventStore, NewEvent } from '@backbone/event-store';
import { ANSWER_PRODUCER } from '@backbone/messaging';
import { rootLogger } from '@backbone/observability';
import { opsConsoleMetrics } from '../metrics/ops-console-metrics';
import { OPS_CONSOLE_SETTINGS, OpsConsoleSettings } from '../ops-console-settings';
import { DeadLetters, StoredDeadLetter } from './dead-letters.store';

export interface RedriveOrder {
  deadLetterIds: string[];
  operatorId: string;
  /** The operator command's id: the same id again is the same re-drive. */
  commandId: string;
  correlationId: string;
}

export type RedriveResult =
  | { kind: 'redriven'; eventIds: string[]; streamVersion: number }
  | { kind: 'rejected'; code: 'NOT_FOUND' | 'INVALID_TRANSITION'; reason: string }
  | { kind: 'rate-limited'; reason: string; retryAfterSeconds: number };

/** Marks the re-driven record, so the sector service's logs and tools can tell it apart. */
export const REDRIVEN_FROM_HEADER = 'backbone-redriven-from';

/**
 * `dead-letter.redrive.v1`: sends chosen dead letters' records back to the command topic they
 * came from, where the sector service answers them as any other command. For each one, first
 * `dead-letter.redriven.v1` is recorded (naming the operator), then the record is sent, once:
 * a repeated command finds its events stored and the record already sent, and a send that
 * failed can be ordered again. A dead letter already sent is refused to any other command.
 * Only a named selection, at most OPS_REDRIVE_PER_MINUTE a minute across all instances: never
 * a bulk replay.
 */
@Injectable()
export class DeadLetterRedrive {
  private readonly logger = rootLogger.child({ component: 'ops-console-redrive' });

  constructor(
    private readonly deadLetters: DeadLetters,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly topics: TopicNames,
    @Inject(ANSWER_PRODUCER) private readonly producer: Producer,
    @Inject(OPS_CONSOLE_SETTINGS) private readonly settings: OpsConsoleSettings,
  ) {}

  async redrive(order: RedriveOrder): Promise<RedriveResult> {
    const letters = await this.deadLetters.find(order.deadLetterIds);
    const missing = order.deadLetterIds.filter(
      (id) => !letters.some((letter) => letter.deadLetterId === id),
    );
    if (missing.length) {
      return {
        kind: 'rejected',
        code: 'NOT_FOUND',
        reason: `no dead letter ${missing.join(', ')}`,
      };
    }
    const unroutable = letters.find((letter) => !this.commandTopicOf(letter));
    if (unroutable) {
      return {
        kind: 'rejected',
        code: 'INVALID_TRANSITION',
        reason: `dead letter ${unroutable.deadLetterId} names no command topic it came from`,
      };
    }
    for (const letter of letters) {
      if (letter.redriven && !(await this.isOwnRetry(letter, order))) {
        return {
          kind: 'rejected',
          code: 'INVALID_TRANSITION',
          reason: `dead letter ${letter.deadLetterId} was already re-driven by ${letter.redriven.by} at ${letter.redriven.at}`,
        };
      }
    }
    const fresh = letters.filter((letter) => !letter.redriven).length;
    const { redrivenLastMinute } = await this.deadLetters.counts();
    if (fresh > 0 && redrivenLastMinute + fresh > this.settings.redrivePerMinute) {
      return {
        kind: 'rate-limited',
        reason: `at most ${this.settings.redrivePerMinute} dead letters a minute; ${redrivenLastMinute} were re-driven in the last minute`,
        retryAfterSeconds: 60,
      };
    }
    const eventIds: string[] = [];
    let streamVersion = 0;
    for (const id of order.deadLetterIds) {
      const letter = letters.find((l) => l.deadLetterId === id) as StoredDeadLetter;
      // Recorded first: no record goes back to Kafka without the operator's order on file.
      const event = redrivenEvent(letter, order);
      const appended = await this.store.appendToStream(
        deadLetterStreamId(letter.deadLetterId),
        'any',
        [event],
      );
      eventIds.push(event.eventId);
      streamVersion = Math.max(streamVersion, appended.streamVersion);
      await this.sendOnce(letter, order.operatorId);
    }
    return { kind: 'redriven', eventIds, streamVersion };
  }

  /** This very command re-drove it before: the same outcome again, nothing sent twice. */
  private async isOwnRetry(letter: StoredDeadLetter, order: RedriveOrder): Promise<boolean> {
    const ours = redrivenEvent(letter, order).eventId;
    const history = await this.store.readStream(deadLetterStreamId(letter.deadLetterId));
    return history.some((event) => event.eventId === ours);
  }

  /** The source topic, if it is one of this backbone's command topics. */
  private commandTopicOf(letter: StoredDeadLetter): string | undefined {
    const topic = letter.source?.topic;
    return topic && this.topics.agencyOfCommandTopic(topic) !== undefined ? topic : undefined;
  }

  /** Sends the record unless some re-drive already did; a failed send can be retried. */
  private async sendOnce(letter: StoredDeadLetter, operatorId: string): Promise<void> {
    if (!(await this.deadLetters.claim(letter.deadLetterId, operatorId))) return;
    try {
      await this.producer.send({
        topic: letter.source?.topic as string,
        acks: -1,
        messages: [
          {
            key: letter.key,
            value: letter.value,
            headers: { [REDRIVEN_FROM_HEADER]: letter.deadLetterId },
          },
        ],
      });
    } catch (error) {
      await this.deadLetters.unclaim(letter.deadLetterId);
      throw error;
    }
    await this.deadLetters.sent(letter.deadLetterId);
    opsConsoleMetrics.deadLettersRedriven.inc();
    this.logger.info(
      { deadLetterId: letter.deadLetterId, operator: operatorId, source: letter.source },
      'dead letter re-driven',
    );
  }
}

function redrivenEvent(letter: StoredDeadLetter, order: RedriveOrder): NewEvent {
  const source = letter.source as NonNullable<StoredDeadLetter['source']>;
  const data: DeadLetterRedrivenV1 = {
    deadLetterId: letter.deadLetterId,
    sourceTopic: source.topic,
    sourcePartition: source.partition,
    sourceOffset: source.offset,
    redrivenBy: order.operatorId,
  };
  return {
    eventId: derivedUuid(
      'dead-letter-redrive',
      `${order.operatorId}:${order.commandId}:${letter.deadLetterId}`,
    ),
    type: DEAD_LETTER_REDRIVEN_V1,
    data: { ...data },
    metadata: {
      source: backboneSource('ops-console'),
      causationId: order.commandId,
      correlationId: order.correlationId,
      actingAgency: order.operatorId,
    },
  };
}
