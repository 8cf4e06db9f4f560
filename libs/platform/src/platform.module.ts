import { DynamicModule, Module, Type } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { BackboneConfig, ConfigModule } from '@backbone/config';
import { DatabaseModule } from '@backbone/database';
import { DirectoryModule } from '@backbone/directory';
import { EventStoreModule } from '@backbone/event-store';
import { HealthController } from '@backbone/http';
import { KafkaModule } from '@backbone/messaging';

/** The infrastructure every backbone service stands on, plus the service's own feature modules. */
@Module({})
export class PlatformModule {
  static forRoot(config: BackboneConfig, features: Type[]): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        ConfigModule.forRoot(config),
        CqrsModule.forRoot(),
        DatabaseModule,
        DirectoryModule,
        EventStoreModule,
        KafkaModule,
        ...features,
      ],
      controllers: [HealthController],
    };
  }
}
