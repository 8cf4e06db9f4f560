import { DynamicModule, Module, OnModuleInit, Type } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { BackboneConfig, ConfigModule } from '@backbone/config';
import { DataProtectionModule } from '@backbone/data-protection';
import { DatabaseModule } from '@backbone/database';
import { DirectoryModule } from '@backbone/directory';
import { EventStoreModule, UpcasterRegistry } from '@backbone/event-store';
import { CONTRACT_UPCASTERS } from '@backbone/contracts';
import { HealthModule, MetricsController } from '@backbone/http';
import { KafkaModule, KafkaSecurityModule } from '@backbone/messaging';

/** The infrastructure every backbone service stands on, plus the service's own feature modules. */
@Module({})
export class PlatformModule implements OnModuleInit {
  constructor(private readonly upcasters: UpcasterRegistry) {}

  /** The store turns old event versions into current ones on every read. */
  onModuleInit(): void {
    this.upcasters.registerAll(CONTRACT_UPCASTERS);
  }

  static forRoot(config: BackboneConfig, features: Type[]): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        ConfigModule.forRoot(config),
        CqrsModule.forRoot(),
        DatabaseModule,
        DataProtectionModule,
        DirectoryModule,
        EventStoreModule,
        KafkaModule,
        // Agencies' Kafka users and ACLs, following the directory (only with KAFKA_AUTH=sasl).
        KafkaSecurityModule,
        HealthModule,
        ...features,
      ],
      controllers: [MetricsController],
    };
  }
}
