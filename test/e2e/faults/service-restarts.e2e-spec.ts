// The Kafka broker, then PostgreSQL, restarted while agencies keep sending: the backbone rides
// through each outage, and afterwards every command is answered once, every stored event is on
// Kafka, and the read models are exact. Each test has a broker or a database server of its own,
// so restarting it disturbs nothing else.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Kafka, Producer, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { startBackbone } from '@backbone/backbone';
import { BackboneConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { ensureDatabase } from '@backbone/database';
import { tapLogs } from '@backbone/observability';
import { findFreePort } from '../../../infra/dev-stack/free-port';
import { RunningKafka, startLocalKafka } from '../../../infra/kafka/local-kafka-broker';
import { PrivatePostgres } from '../../support/faults/private-postgres';
import {
  SENDERS,
  SentCommand,
  expectNothingLostNothingForged,
  sendReferrals,
} from '../../support/faults/pipeline-load';
import { TestDatabase, createTestDatabase, testConfig } from '../../support/test-stack';
import { TopicWatcher } from '../../support/topic-watcher';

const COMMANDS = 240;
/** How long a test may take: longer than the 240 s it gives the pipeline to settle. */
const TEST_TIMEOUT_MS = 300_000;
const LOAD = { perSend: 10, pauseMs: 100 };

/** The backbone in this process with an agency's producer and a reader of its topics. */
async function backboneWithAgencies(config: BackboneConfig) {
  const topics = new TopicNames(config.topicPrefix);
  const app = await startBackbone(config, { handleSignals: false });
  const kafka = new Kafka({
    brokers: config.kafkaBrokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 10 },
  });
  const producer = kafka.producer();
  await producer.connect();
  const watcher = await TopicWatcher.start(config.kafkaBrokers, [
    topics.events,
    ...SENDERS.map((sender) => topics.outcomes(sender)),
  ]);
  return { app, topics, producer, watcher };
}

async function stopAll(app?: INestApplication, producer?: Producer, watcher?: TopicWatcher) {
  await watcher?.stop().catch(() => undefined);
  await producer?.disconnect().catch(() => undefined);
  await app?.close();
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a restart under load', () => {
  // The outage makes every client log errors by design: kept off the test output.
  let stopTap: () => void;
  beforeAll(() => {
    stopTap = tapLogs(() => undefined, { muteStdout: true });
  });
  afterAll(() => stopTap());

  it(
    'of the Kafka broker loses and doubles nothing',
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'backbone-kafka-restart-'));
      const ports = { port: await findFreePort(), controllerPort: await findFreePort() };
      const startBroker = () => startLocalKafka({ ...ports, dataDir, keepData: true });
      let broker: RunningKafka | undefined = await startBroker();
      const database: TestDatabase = await createTestDatabase();
      const config = testConfig(database.url, { kafkaBrokers: broker.brokers });
      const { app, topics, producer, watcher } = await backboneWithAgencies(config);
      const pool = new Pool({ connectionString: config.databaseUrl, max: 2 });
      try {
        const load: Promise<SentCommand[]> = sendReferrals(producer, topics, COMMANDS, LOAD);
        await pause(1_000);
        await broker.stop();
        broker = undefined;
        await pause(2_000);
        broker = await startBroker();
        const sent = await load;
        await expectNothingLostNothingForged(sent, watcher, topics, pool, 240_000);
      } finally {
        await stopAll(app, producer, watcher);
        await pool.end();
        await database.drop();
        await broker?.stop();
        await rm(dataDir, { recursive: true, force: true });
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'of PostgreSQL loses and doubles nothing',
    async () => {
      const postgres = await PrivatePostgres.start();
      const databaseUrl = postgres.databaseUrl('backbone_restart');
      await ensureDatabase(databaseUrl);
      const config = testConfig(databaseUrl);
      const { app, topics, producer, watcher } = await backboneWithAgencies(config);
      const pool = new Pool({ connectionString: databaseUrl, max: 2 });
      pool.on('error', () => undefined); // its idle connections are cut by the restart
      try {
        const load: Promise<SentCommand[]> = sendReferrals(producer, topics, COMMANDS, LOAD);
        await pause(1_000);
        await postgres.stopServer();
        await pause(2_000);
        await postgres.startServer();
        const sent = await load;
        await expectNothingLostNothingForged(sent, watcher, topics, pool, 240_000);
      } finally {
        await stopAll(app, producer, watcher);
        await pool.end();
        await postgres.destroy();
      }
    },
    TEST_TIMEOUT_MS,
  );
});
