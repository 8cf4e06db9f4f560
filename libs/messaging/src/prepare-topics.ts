import { BackboneConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { Directory } from '@backbone/directory';
import { backboneTopics } from './backbone-topics';
import { createKafka } from './kafka-client';
import { ensureTopics } from './topic-admin';

/** Creates every topic the directory's agencies need; returns the ones it created. */
export function prepareTopics(config: BackboneConfig, directory: Directory): Promise<string[]> {
  const kafka = createKafka(
    config.kafkaBrokers,
    'referral-backbone-admin',
    config.kafkaAuth,
    config.kafkaTls,
  );
  const names = new TopicNames(config.topicPrefix);
  const agencies = directory.agencies().map((agency) => agency.id);
  return ensureTopics(kafka, backboneTopics(names, agencies, config), config.kafkaReplication);
}
