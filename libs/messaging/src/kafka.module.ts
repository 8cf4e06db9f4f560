import {
  Global,
  Inject,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
  Provider,
} from '@nestjs/common';
import { Kafka, Partitioners, Producer } from 'kafkajs';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { createKafka } from './kafka-client';
import { acknowledgingProducer } from './acknowledged-sends';
import { LogProducer } from './log-producer';
import { splittingProducer } from './split-sends';

/** Publishes the event log (a LogProducer: idempotent, one request in flight, renewed when stuck). */
export const BACKBONE_PRODUCER = Symbol('BACKBONE_PRODUCER');
/**
 * Sends answers (outcomes, dead letters): many requests in flight, so partitions answered in
 * parallel do not queue behind one another. Order per referral still holds, because a partition's
 * next command is only taken once this one's answer is acknowledged; a retried send can at worst
 * repeat an outcome, which carries the same id both times. Its sends are split to fit the
 * broker, as the log producer's are (a few dead-lettered commands of megabytes each).
 */
export const ANSWER_PRODUCER = Symbol('ANSWER_PRODUCER');

/** A Kafka client known to the brokers as `clientId`, and the topic names, from the configuration. */
export function kafkaClientProviders(clientId: string): Provider[] {
  return [
    {
      provide: Kafka,
      inject: [BACKBONE_CONFIG],
      useFactory: (config: BackboneConfig): Kafka =>
        createKafka(config.kafkaBrokers, clientId, config.kafkaAuth, config.kafkaTls),
    },
    {
      provide: TopicNames,
      inject: [BACKBONE_CONFIG],
      useFactory: (config: BackboneConfig): TopicNames => new TopicNames(config.topicPrefix),
    },
  ];
}

/** The process's Kafka client, topic names, and its two producers (acks=all on every send). */
@Global()
@Module({
  providers: [
    ...kafkaClientProviders('referral-backbone'),
    {
      provide: BACKBONE_PRODUCER,
      inject: [Kafka],
      useFactory: (kafka: Kafka): LogProducer => LogProducer.for(kafka),
    },
    {
      provide: ANSWER_PRODUCER,
      inject: [Kafka],
      useFactory: (kafka: Kafka): Producer =>
        splittingProducer(
          acknowledgingProducer(kafka, { createPartitioner: Partitioners.DefaultPartitioner }),
        ),
    },
  ],
  exports: [Kafka, TopicNames, BACKBONE_PRODUCER, ANSWER_PRODUCER],
})
export class KafkaModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(BACKBONE_PRODUCER) private readonly producer: LogProducer,
    @Inject(ANSWER_PRODUCER) private readonly answers: Producer,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([this.producer.connect(), this.answers.connect()]);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.producer.disconnect(), this.answers.disconnect()]);
  }
}
