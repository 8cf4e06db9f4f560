import { DynamicModule, Module } from '@nestjs/common';
import { BackboneConfig, ConfigModule } from '@backbone/config';
import { DatabaseModule } from '@backbone/database';
import { kafkaClientProviders } from '@backbone/messaging';
import { ProjectorConsumer } from '../engine/projector.consumer';

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
      providers: [...kafkaClientProviders('referral-backbone-projector'), ProjectorConsumer],
    };
  }
}
