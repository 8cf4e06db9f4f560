// A sector service that stops while a group of commands is being answered: the group finishes,
// and its offsets are committed on the way out, so the instance that takes over does not answer
// the same commands a second time (CONTRACT: every command gets exactly one outcome).
import type { INestApplication } from '@nestjs/common';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { Client } from 'pg';
import { BackboneConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { CONSUMER_GROUPS } from '@backbone/messaging';
import { startService } from '@backbone/platform';
import { SectorServiceModule } from '@backbone/sector-service';
import { eventually } from '../support/eventually';
import { makeReferralCommand } from '../support/referral-commands';
import { TestDatabase, createTestDatabase, testConfig } from '../support/test-stack';
import { TopicWatcher } from '../support/topic-watcher';

const SENDER = 'randers-school';

describe('a sector service stopping while it answers commands', () => {
  let database: TestDatabase;
  let config: BackboneConfig;
  let topics: TopicNames;
  let kafka: Kafka;
  let producer: Producer;
  let watcher: TopicWatcher;
  let service: INestApplication | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    config = testConfig(database.url);
    topics = new TopicNames(config.topicPrefix);
    kafka = new Kafka({
      brokers: config.kafkaBrokers,
      clientId: 'shutdown-test',
      logLevel: logLevel.NOTHING,
    });
    producer = kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await service?.close();
    await watcher?.stop();
    await producer?.disconnect();
    await database?.drop();
  });

  const startSectorService = () =>
    startService('sector-service', config, [SectorServiceModule], { handleSignals: false });
  const outcomesOf = (commandId: string) =>
    watcher.records.filter((record) => record.json?.causationid === commandId);

  /** The sector service's committed offset of each partition of the sender's command topic. */
  async function committedOffsets(): Promise<Map<number, string>> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const groupId = CONSUMER_GROUPS.commandIntake(config.topicPrefix, config.sector);
      const [topic] = await admin.fetchOffsets({ groupId, topics: [topics.commands(SENDER)] });
      return new Map(topic.partitions.map(({ partition, offset }) => [partition, offset]));
    } finally {
      await admin.disconnect();
    }
  }

  it('finishes the group in hand, commits its offsets, and the next instance answers nothing twice', async () => {
    service = await startSectorService();
    watcher = await TopicWatcher.start(config.kafkaBrokers, [topics.outcomes(SENDER)]);
    const warmUp = makeReferralCommand(SENDER, 'randers-social');
    await producer.send({
      topic: topics.commands(SENDER),
      messages: [{ key: warmUp.subject, value: JSON.stringify(warmUp) }],
    });
    await eventually(async () => outcomesOf(warmUp.id)[0], 'the warm-up outcome');

    // Hold the command log so that the next group stops inside its transaction.
    const holder = new Client({ connectionString: database.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE command_log IN ACCESS EXCLUSIVE MODE');
    const command = makeReferralCommand(SENDER, 'randers-social');
    const sent = await producer.send({
      topic: topics.commands(SENDER),
      messages: [{ key: command.subject, value: JSON.stringify(command) }],
    });
    const { partition, baseOffset } = sent[0];
    await eventually(async () => {
      const { rows } = await holder.query<{ waiting: number }>(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      return rows[0].waiting > 0 ? true : undefined;
    }, 'a group waiting for the command log');

    // Stop while the group waits, then let it go on: it finishes during the shutdown.
    const stopping = service.close();
    service = undefined;
    await new Promise((resolve) => setTimeout(resolve, 500));
    await holder.query('COMMIT');
    await holder.end();
    await stopping;

    expect(outcomesOf(command.id)).toHaveLength(1);
    expect((await committedOffsets()).get(partition)).toBe(String(BigInt(baseOffset!) + 1n));

    // The next instance starts after the answered command: a command sent after it on the same
    // partition (same key) is answered, and the first still has its one outcome.
    service = await startSectorService();
    const next = makeReferralCommand(SENDER, 'randers-social');
    await producer.send({
      topic: topics.commands(SENDER),
      messages: [{ key: command.subject, value: JSON.stringify(next) }],
    });
    await eventually(async () => outcomesOf(next.id)[0], 'the next command answered');
    expect(outcomesOf(command.id)).toHaveLength(1);
  });
});
