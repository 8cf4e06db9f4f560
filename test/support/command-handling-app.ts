import type { Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { BackboneConfig, ConfigModule } from '@backbone/config';
import { DataProtectionModule } from '@backbone/data-protection';
import { DatabaseModule } from '@backbone/database';
import { DirectoryModule } from '@backbone/directory';
import { EventStoreModule } from '@backbone/event-store';
import { CommandHandlingModule } from '@backbone/sector-service';
import { testConfig } from './test-stack';

/**
 * The sector service's command handling on a test database, without Kafka: what integration
 * tests of the command path and of the deadline watcher stand on.
 */
export async function startCommandHandling(
  databaseUrl: string,
  options: { config?: Partial<BackboneConfig>; providers?: Provider[] } = {},
) {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(testConfig(databaseUrl, options.config)),
      CqrsModule.forRoot(),
      DatabaseModule,
      DataProtectionModule,
      DirectoryModule,
      EventStoreModule,
      CommandHandlingModule,
    ],
    providers: options.providers ?? [],
  }).compile();
  return moduleRef.init();
}
