// A SASL/SCRAM broker of a spec's own with the backbone's agency access followed from a directory
// of demo agencies: the set-up of the Kafka security int-specs.
import { Kafka } from 'kafkajs';
import { BackboneConfig, KafkaAgencyCredentials, loadConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { Directory, DirectoryFile, loadDirectory, parseDirectoryFile } from '@backbone/directory';
import {
  AgencyAccessFollower,
  backboneTopics,
  createKafka,
  ensureTopics,
} from '@backbone/messaging';
import { RunningKafka, startLocalKafka } from '../../infra/kafka/local-kafka-broker';
import { uniqueSuffix } from './test-stack';

export interface SaslSecurityBed {
  broker: RunningKafka;
  config: BackboneConfig;
  topics: TopicNames;
  /** Logged in as the backbone's super user. */
  backbone: Kafka;
  directory: Directory;
  follower: AgencyAccessFollower;
  stop(): Promise<void>;
}

/** A directory file holding these demo agencies only. */
export function demoDirectoryOf(ids: string[]): DirectoryFile {
  const demo = loadDirectory();
  return parseDirectoryFile({
    agencies: ids.map((id) => demo.agency(id)),
    auditors: [],
    operators: [],
  });
}

/**
 * Starts the broker, creates the topics of `topicAgencies`, and follows a directory of
 * `directoryAgencies` (topics of agencies that join later can be made up front).
 */
export async function startSaslSecurityBed(options: {
  topicAgencies: string[];
  directoryAgencies: string[];
  agencyCredentials: KafkaAgencyCredentials;
  accessCheckMs?: number;
}): Promise<SaslSecurityBed> {
  const sasl = {
    mechanism: 'scram-sha-256' as const,
    username: 'backbone',
    password: `it-${uniqueSuffix()}`,
  };
  const broker = await startLocalKafka({ sasl });
  const config: BackboneConfig = {
    ...loadConfig({}),
    kafkaBrokers: broker.brokers,
    topicPrefix: `t${uniqueSuffix()}.`,
    kafkaAuth: {
      mode: 'sasl',
      ...sasl,
      agencyPasswordKey: `key-${uniqueSuffix()}`,
      agencyCredentials: options.agencyCredentials,
      accessCheckMs: options.accessCheckMs ?? 5000,
    },
  };
  const topics = new TopicNames(config.topicPrefix);
  const backbone = createKafka(config.kafkaBrokers, 'security-test', config.kafkaAuth);
  await ensureTopics(
    backbone,
    backboneTopics(topics, options.topicAgencies, { ...config, topicPartitions: 1 }),
  );
  const directory = new Directory(demoDirectoryOf(options.directoryAgencies));
  const follower = new AgencyAccessFollower(backbone, directory, config);
  await follower.onApplicationBootstrap();
  return {
    broker,
    config,
    topics,
    backbone,
    directory,
    follower,
    stop: async () => {
      await follower.onApplicationShutdown();
      await broker.stop();
    },
  };
}
