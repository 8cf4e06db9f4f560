import { Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Kafka, Partitioners, Producer } from 'kafkajs';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { createKafka } from './kafka-client';

export const BACKBONE_PRODUCER = Symbol('BACKBONE_PRODUCER');

/**
 * The process's Kafka client, topic names and one idempotent producer (acks=all per send).
 * Idempotence keeps per-partition order through retries.
 */
@Global()
@Module({
  providers: [
    {
      provide: Kafka,
      inject: [BACKBONE_CONFIG],
      useFactory: (config: BackboneConfig): Kafka =>
        createKafka(config.kafkaBrokers, 'referral-backbone'),
    },
    {
      provide: TopicNames,
      inject: [BACKBONE_CONFIG],
      useFactory: (config: BackboneConfig): TopicNames => new TopicNames(config.topicPrefix),
    },
    {
      provide: BACKBONE_PRODUCER,
      inject: [Kafka],
      useFactory: (kafka: Kafka): Producer =>
        kafka.producer({
          idempotent: true,
          maxInFlightRequests: 1,
          createPartitioner: Partitioners.DefaultPartitioner,
        }),
    },
  ],
  exports: [Kafka, TopicNames, BACKBONE_PRODUCER],
})
export class KafkaModule implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(BACKBONE_PRODUCER) private readonly producer: Producer) {}

  async onModuleInit(): Promise<void> {
    await this.producer.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }
}
