import type { INestApplicationContext, Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { BackboneConfig, ConfigModule } from '@backbone/config';
import { DataProtectionModule } from '@backbone/data-protection';
import { DatabaseModule } from '@backbone/database';
import { DirectoryModule } from '@backbone/directory';
import { EventStoreModule } from '@backbone/event-store';
import {
  CommandHandlingModule,
  DeadlineActions,
  DeadlineTracking,
  PendingDeadlines,
} from '@backbone/sector-service';
import { DeadlineWatcher } from '../../apps/sector-service/src/deadlines/deadline-watcher';
import { FreshTestDatabase, freshTestDatabase } from './fresh-test-database';
import { testConfig } from './test-stack';

interface CommandHandlingOptions {
  config?: Partial<BackboneConfig>;
  providers?: Provider[];
}

/**
 * The sector service's command handling on a test database, without Kafka: what integration
 * tests of the command path and of the deadline watcher stand on.
 */
export async function startCommandHandling(
  databaseUrl: string,
  options: CommandHandlingOptions = {},
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

/**
 * The command handling on a fresh test database of this file's own, started before its tests
 * and closed before the database is dropped; `pick` names what the tests use of it.
 */
export function freshCommandHandling<T extends object>(
  pick: (app: INestApplicationContext) => T,
  options: CommandHandlingOptions = {},
): FreshTestDatabase & { app: INestApplicationContext } & T {
  return freshTestDatabase({
    over: async (database) => {
      const app = await startCommandHandling(database.url, options);
      database.closeBeforeDrop(() => app.close());
      return { app, ...pick(app) };
    },
  });
}

/** The command handling with the deadline watcher running, polling every 100 ms. */
export function startDeadlineWatching(databaseUrl: string): Promise<INestApplicationContext> {
  return startCommandHandling(databaseUrl, {
    config: { deadlinePollMs: 100 },
    providers: [PendingDeadlines, DeadlineTracking, DeadlineActions, DeadlineWatcher],
  });
}
