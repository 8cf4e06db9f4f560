import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Consumer, EachMessagePayload, IHeaders, Kafka } from 'kafkajs';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { Directory } from '@backbone/directory';
import { derivedUuid } from '@backbone/domain';
import { backboneGroupPrefix } from '@backbone/http';
import { createConsumer } from '@backbone/messaging';
import { rootLogger } from '@backbone/observability';
import { opsConsoleMetrics } from '../metrics/ops-console-metrics';
import { startInBackground } from '../start-in-background';
import { contractFieldRules } from './contract-fields';
import { maskedPreview } from './dead-letter-preview';
import { DeadLetters, NewDeadLetter } from './dead-letters.store';

/** The headers the sector service puts on a dead letter (its command consumer). */
const REASON = 'dlq-reason';
const SOURCE_TOPIC = 'dlq-source-topic';
const SOURCE_PARTITION = 'dlq-source-partition';
const SOURCE_OFFSET = 'dlq-source-offset';

const header = (headers: IHeaders | undefined, name: string): string | undefined => {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
};

/** A dead letter's id: the same record on the dead-letter topic always gets the same one. */
export const deadLetterIdOf = (topic: string, partition: number, offset: string): string =>
  derivedUuid('dead-letter', `${topic}:${partition}:${offset}`);

/**
 * Copies every record of `referrals.dead-letter` into PostgreSQL, with its reason, where the
 * command came from, and a masked preview made on arrival. Its consumer group commits after
 * each copy; a redelivered record is copied once (see the migration's unique constraints).
 */
@Injectable()
export class DeadLetterCopier implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = rootLogger.child({ component: 'ops-console-dead-letters' });
  private consumer?: Consumer;
  private readonly stopping = new AbortController();
  private starting?: Promise<void>;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: TopicNames,
    private readonly directory: Directory,
    private readonly deadLetters: DeadLetters,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.starting = startInBackground(
      'dead-letter copier',
      this.logger,
      this.stopping.signal,
      () => this.follow(),
      async () => {
        await this.consumer?.disconnect();
        this.consumer = undefined;
      },
    );
  }

  private async follow(): Promise<void> {
    const groupId = `${backboneGroupPrefix(this.config.topicPrefix)}ops-console.dead-letters`;
    this.consumer = createConsumer(this.kafka, groupId);
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.topics.deadLetter], fromBeginning: true });
    await this.consumer.run({ eachMessage: (payload) => this.copy(payload) });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.starting;
    await this.consumer?.disconnect();
  }

  private async copy({ topic, partition, message }: EachMessagePayload): Promise<void> {
    const sourceTopic = header(message.headers, SOURCE_TOPIC);
    const sourcePartition = Number(header(message.headers, SOURCE_PARTITION));
    const sourceOffset = header(message.headers, SOURCE_OFFSET);
    const hasSource =
      sourceTopic !== undefined &&
      Number.isInteger(sourcePartition) &&
      sourceOffset !== undefined &&
      /^[0-9]{1,19}$/.test(sourceOffset);
    const letter: NewDeadLetter = {
      deadLetterId: deadLetterIdOf(topic, partition, message.offset),
      topic,
      partition,
      offset: message.offset,
      ...(hasSource
        ? { source: { topic: sourceTopic, partition: sourcePartition, offset: sourceOffset } }
        : {}),
      reason: header(message.headers, REASON) ?? 'unknown (no dlq-reason header)',
      key: message.key,
      value: message.value,
      preview: maskedPreview(message.value, {
        fields: contractFieldRules(),
        isKnownAgency: (id) => this.directory.agency(id) !== undefined,
      }),
      deadLetteredAt: new Date(Number(message.timestamp)),
    };
    if (await this.deadLetters.add(letter)) {
      opsConsoleMetrics.deadLettersCopied.inc();
      this.logger.info(
        { deadLetterId: letter.deadLetterId, reason: letter.reason, source: letter.source },
        'dead letter copied',
      );
    }
  }
}
