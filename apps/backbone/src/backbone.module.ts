import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { BackboneConfig, ConfigModule } from '@backbone/config';
import { DatabaseModule } from '@backbone/database';
import { DirectoryModule } from '@backbone/directory';
import { EventStoreModule } from '@backbone/event-store';
import { HealthController } from '@backbone/http';
import { KafkaModule } from '@backbone/messaging';
import { ProjectorModule } from '@backbone/projector';
import { PublisherModule } from '@backbone/publisher';
import { SectorServiceModule } from '@backbone/sector-service';

/** Every app's module in one process, for a single machine. */
@Module({})
export class BackboneModule {
  static forRoot(config: BackboneConfig): DynamicModule {
    return {
      module: BackboneModule,
      imports: [
        ConfigModule.forRoot(config),
        CqrsModule.forRoot(),
        DatabaseModule,
        DirectoryModule,
        EventStoreModule,
        KafkaModule,
        SectorServiceModule,
        PublisherModule,
        ProjectorModule,
      ],
      controllers: [HealthController],
    };
  }
}
