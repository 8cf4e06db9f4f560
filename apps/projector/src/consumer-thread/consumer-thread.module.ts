import { DynamicModule, Module } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { BACKBONE_CONFIG, BackboneConfig, ConfigModule } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { DatabaseModule } from '@backbone/database';
import { createKafka } from '@backbone/messaging';
import { ReferralViewsConsumer } from '../referral-views/referral-views.consumer';

/**
 * What the projector's consumer needs in a thread of its own: the configuration, connection
 * pools of its own, and a Kafka client (no producers: it only consumes).
 */
@Module({})
export class ConsumerThreadModule {
  static forRoot(config: BackboneConfig): DynamicModule {
    return {
      module: ConsumerThreadModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule],
      providers: [
        {
          provide: Kafka,
          inject: [BACKBONE_CONFIG],
          useFactory: (settings: BackboneConfig): Kafka =>
            createKafka(settings.kafkaBrokers, 'referral-backbone-projector', settings.kafkaAuth),
        },
        {
          provide: TopicNames,
          inject: [BACKBONE_CONFIG],
          useFactory: (settings: BackboneConfig): TopicNames =>
            new TopicNames(settings.topicPrefix),
        },
        ReferralViewsConsumer,
      ],
    };
  }
}
