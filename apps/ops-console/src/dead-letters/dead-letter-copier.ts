import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EachMessagePayload, Kafka } from 'kafkajs';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { Directory } from '@backbone/directory';
import { CONSUMER_GROUPS, ConsumerRunner } from '@backbone/messaging';
import { rootLogger } from '@backbone/observability';
import { opsConsoleMetrics } from '../metrics/ops-console-metrics';
import { BackgroundConsumer } from '../background-consumer';
import { contractFieldRules } from './contract-fields';
import { PreviewContext } from './dead-letter-preview';
import { bareDeadLetterOf, deadLetterOf } from './dead-letter-record';
import { DeadLetterTies, tiesOf } from './dead-letter-ties';
import { DeadLetters, NewDeadLetter } from './dead-letters.store';

/** SQLSTATE classes of a row PostgreSQL refuses for what it holds (not for being unreachable). */
const REFUSED_ROW = /^(22|23|54)/;

const refusedRow = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && REFUSED_ROW.test(code) ? code : undefined;
};

/**
 * Copies every record of `referrals.dead-letter` into PostgreSQL, with its reason, where the
 * command came from, and a masked preview made on arrival. Its consumer group commits after
 * each copy; a redelivered record is copied once (see the migration's unique constraints).
 * Whatever a record holds, the copier moves on: what PostgreSQL would refuse is cleaned or left
 * out (see dead-letter-record), a row refused all the same is stored bare (where and what bytes,
 * with why), and one refused even so is skipped, logged and counted. Only an unreachable
 * database holds it up, and the record is copied once the database is back.
 */
@Injectable()
export class DeadLetterCopier implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = rootLogger.child({ component: 'ops-console-dead-letters' });
  private readonly consumer = new BackgroundConsumer('dead-letter copier', this.logger);

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: TopicNames,
    private readonly directory: Directory,
    private readonly deadLetters: DeadLetters,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.consumer.start(async () => this.copyingConsumer());
  }

  private copyingConsumer(): ConsumerRunner {
    return new ConsumerRunner(
      this.kafka,
      {
        groupId: CONSUMER_GROUPS.deadLetterCopier(this.config.topicPrefix),
        topics: [this.topics.deadLetter],
        fromBeginning: true,
        run: () => ({ eachMessage: (payload) => this.copy(payload) }),
      },
      this.logger,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }

  private readonly preview: PreviewContext = {
    fields: contractFieldRules(),
    isKnownAgency: (id) => this.directory.agency(id) !== undefined,
  };

  private async copy({ topic, partition, message }: EachMessagePayload): Promise<void> {
    const at = { topic, partition, offset: message.offset };
    let letter: NewDeadLetter;
    try {
      letter = deadLetterOf(topic, partition, message, this.preview);
    } catch (error) {
      letter = bareDeadLetterOf(topic, partition, message, 'unreadable record');
      this.logger.error({ err: error, ...at }, 'dead letter unreadable: stored bare');
    }
    // Keyed hashes and stream ids only: storable whatever the record holds, bare rows too.
    const ties = tiesOf(message.value, this.config.subjectIdKey);
    let added: boolean;
    try {
      added = await this.deadLetters.add(letter, ties);
    } catch (error) {
      const code = refusedRow(error);
      if (!code) throw error; // the database is unreachable: the record is tried again
      added = await this.addBare(message, ties, at, code, error);
    }
    if (added) {
      opsConsoleMetrics.deadLettersCopied.inc();
      this.logger.info(
        { deadLetterId: letter.deadLetterId, reason: letter.reason, source: letter.source },
        'dead letter copied',
      );
    }
  }

  /** The row PostgreSQL refused, stored bare; skipped (logged, counted) if that is refused too. */
  private async addBare(
    message: EachMessagePayload['message'],
    ties: DeadLetterTies,
    at: { topic: string; partition: number; offset: string },
    code: string,
    error: unknown,
  ): Promise<boolean> {
    const bare = bareDeadLetterOf(at.topic, at.partition, message, `PostgreSQL ${code}`);
    try {
      const added = await this.deadLetters.add(bare, ties);
      opsConsoleMetrics.recordsIsolated.inc({ follower: 'dead-letters', outcome: 'stored_bare' });
      this.logger.warn({ err: error, ...at, code }, 'dead letter refused as it was: stored bare');
      return added;
    } catch (again) {
      if (!refusedRow(again)) throw again;
      opsConsoleMetrics.recordsIsolated.inc({ follower: 'dead-letters', outcome: 'skipped' });
      this.logger.error({ err: again, ...at, code }, 'dead letter could not be stored: skipped');
      return false;
    }
  }
}
