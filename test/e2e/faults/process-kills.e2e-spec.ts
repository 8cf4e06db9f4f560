// kill -9 at the two worst moments, then a restart: the sector service after committing a
// batch's events and outcomes but before answering; the publisher after Kafka acknowledged a
// batch but before its checkpoint moved. Each ends with every command answered exactly once
// (a repeated answer is the same outcome), every stored event on Kafka, and exact read models.
import { Kafka, Producer, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { BackboneConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { loadDirectory } from '@backbone/directory';
import { prepareTopics } from '@backbone/messaging';
import { AppChild } from '../../support/faults/app-child';
import {
  SENDERS,
  expectNothingLostNothingForged,
  sendReferrals,
} from '../../support/faults/pipeline-load';
import { TestDatabase, createTestDatabase, testConfig } from '../../support/test-stack';
import { TopicWatcher } from '../../support/topic-watcher';
import { eventually } from '../../support/eventually';

const COMMANDS = 200;

describe('kill -9 and restart', () => {
  let database: TestDatabase;
  let config: BackboneConfig;
  let topics: TopicNames;
  let pool: Pool;
  let producer: Producer;
  let watcher: TopicWatcher;
  const children: AppChild[] = [];

  const start = async (app: string, fault?: string): Promise<AppChild> => {
    const child = await AppChild.start({ app, config, fault });
    children.push(child);
    return child;
  };

  beforeEach(async () => {
    database = await createTestDatabase();
    config = testConfig(database.url);
    topics = new TopicNames(config.topicPrefix);
    await prepareTopics(config, loadDirectory(undefined));
    pool = new Pool({ connectionString: config.databaseUrl, max: 2 });
    const kafka = new Kafka({ brokers: config.kafkaBrokers, logLevel: logLevel.NOTHING });
    producer = kafka.producer();
    await producer.connect();
    watcher = await TopicWatcher.start(config.kafkaBrokers, [
      topics.events,
      ...SENDERS.map((sender) => topics.outcomes(sender)),
    ]);
  });
  afterEach(async () => {
    for (const child of children.splice(0)) await child.kill();
    await watcher?.stop();
    await producer?.disconnect();
    await pool?.end();
    await database?.drop();
  });

  it('loses nothing when the sector service dies between committing a batch and answering it', async () => {
    await start('publisher,projector');
    // A group's answers go out in one request: sent in paced parts, the commands make several
    // groups, and the service dies before the second group's answers leave.
    const doomed = await start('sector-service', 'kill-before-answers:2');
    const sent = await sendReferrals(producer, topics, COMMANDS, { pauseMs: 50 });
    expect(await doomed.exited).toBe('SIGKILL');
    expect(doomed.log).toContain('FAULT kill-before-answers fired');
    await start('sector-service');
    await expectNothingLostNothingForged(sent, watcher, topics, pool);
  });

  it('publishes again, with no double effect, when the publisher dies between the ack and its checkpoint', async () => {
    await start('sector-service,projector');
    const doomed = await start('publisher', 'kill-after-publish:2');
    const sent = await sendReferrals(producer, topics, COMMANDS);
    expect(await doomed.exited).toBe('SIGKILL');
    expect(doomed.log).toContain('FAULT kill-after-publish fired');
    await start('publisher');
    // The killed publisher may have sent every event already: wait for the new one to catch up
    // from the checkpoint the killed one left behind, or nothing would have been sent twice yet.
    await eventually(async () => {
      const { rows } = await pool.query<{ caught_up: boolean }>(`
        SELECT c.global_position = (SELECT max(global_position) FROM events) AS caught_up
        FROM checkpoints c WHERE c.name = 'publisher'`);
      return rows[0]?.caught_up || undefined;
    }, 'the restarted publisher caught up with the store');
    await eventually(async () => {
      const ids = watcher.records.filter((r) => r.topic === topics.events).map((r) => r.json?.id);
      return ids.length > new Set(ids).size || undefined;
    }, 'the republished batch on referrals.events');
    const { republished } = await expectNothingLostNothingForged(sent, watcher, topics, pool);
    // The batch acknowledged but not checkpointed went out twice; the read model counted it once.
    expect(republished).toBeGreaterThan(0);
  });
});
