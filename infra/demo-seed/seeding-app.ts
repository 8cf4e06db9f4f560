import { DynamicModule, INestApplicationContext, Module, OnModuleInit } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { BackboneConfig, Clock, ConfigModule } from '@backbone/config';
import { CONTRACT_UPCASTERS } from '@backbone/contracts';
import { DataProtectionModule } from '@backbone/data-protection';
import { DatabaseModule } from '@backbone/database';
import { DirectoryModule } from '@backbone/directory';
import { EventStoreModule, UpcasterRegistry } from '@backbone/event-store';
import { PinoNestLogger, rootLogger } from '@backbone/observability';
import {
  CommandHandlingModule,
  DeadlineActions,
  DeadlineTracking,
  PendingDeadlines,
} from '@backbone/sector-service';

/**
 * The sector service's command handling and its deadline watcher's two halves, on the seeder's
 * clock, without Kafka or HTTP: the seeder hands each command to the same processor the
 * command topics and `POST /v1/commands` use.
 */
@Module({})
export class DemoSeedingModule implements OnModuleInit {
  constructor(private readonly upcasters: UpcasterRegistry) {}

  onModuleInit(): void {
    this.upcasters.registerAll(CONTRACT_UPCASTERS);
  }

  static forRoot(config: BackboneConfig, clock: Clock): DynamicModule {
    return {
      module: DemoSeedingModule,
      imports: [
        ConfigModule.forRoot(config, clock),
        CqrsModule.forRoot(),
        DatabaseModule,
        DataProtectionModule,
        DirectoryModule,
        EventStoreModule,
        CommandHandlingModule,
      ],
      providers: [PendingDeadlines, DeadlineTracking, DeadlineActions],
    };
  }
}

export function startSeedingApp(
  config: BackboneConfig,
  clock: Clock,
): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(DemoSeedingModule.forRoot(config, clock), {
    logger: new PinoNestLogger(rootLogger.child({ component: 'nest', service: 'demo-seed' })),
    abortOnError: false,
  });
}
