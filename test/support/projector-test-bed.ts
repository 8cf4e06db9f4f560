// What tests of the projector's consumer run it on: a fresh test database with both of its
// pools, a configuration of the file's own, and the events topic made before the tests start.
import { Kafka } from 'kafkajs';
import { Pool } from 'pg';
import type { BackboneConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { createPipelinedPool } from '@backbone/database';
import { createKafka } from '@backbone/messaging';
import { ProjectorConsumer } from '../../apps/projector/src/engine/projector.consumer';
import { FreshTestDatabase, freshTestDatabase } from './fresh-test-database';
import { testConfig } from './test-stack';

export interface ProjectorTestBed extends FreshTestDatabase {
  pipelinedPool: Pool;
  settings: BackboneConfig;
  topics: TopicNames;
  kafka: Kafka;
  /** A consumer of the bed's events topic into its database, not yet started. */
  newConsumer: () => ProjectorConsumer;
}

/** Registers the bed's set-up and tear-down; `clientId` names the file's Kafka client. */
export function projectorTestBed(
  clientId: string,
  options: { eventPartitions: number },
): ProjectorTestBed {
  return freshTestDatabase({
    maxConnections: 4,
    over: async (database) => {
      const pipelinedPool = createPipelinedPool(database.url);
      database.closeBeforeDrop(() => pipelinedPool.end());
      const settings = testConfig(database.url);
      const topics = new TopicNames(settings.topicPrefix);
      const kafka = createKafka(settings.kafkaBrokers, clientId);
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({
        topics: [{ topic: topics.events, numPartitions: options.eventPartitions }],
        waitForLeaders: true,
      });
      await admin.disconnect();
      const newConsumer = () =>
        new ProjectorConsumer(kafka, topics, database.pool, pipelinedPool, settings);
      return { pipelinedPool, settings, topics, kafka, newConsumer };
    },
  });
}
