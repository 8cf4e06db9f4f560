import { Global, Module } from '@nestjs/common';
import { Pool } from 'pg';
import { register } from 'prom-client';
import { CLOCK, Clock } from '@backbone/config';
import { registerDatabaseGauges } from './metrics/database-gauges';
import { EventStoreMetrics } from './metrics/event-store-metrics';
import { PostgresCheckpointStore } from './postgres/checkpoint-store';
import { PostgresEventStore } from './postgres/postgres-event-store';
import { UpcasterRegistry } from './upcasting/upcaster-registry';

/**
 * Injects the EventStore port: `@Inject(EVENT_STORE) store: EventStore`. The same instance as
 * PostgresEventStore, which stays provided for the sector service's decision code (it appends
 * to several streams in one transaction, beyond the port).
 */
export const EVENT_STORE = Symbol('EVENT_STORE');

/**
 * The PostgreSQL event store for a Nest application, with its metrics in prom-client's default
 * registry, recording appends at the process's clock (ConfigModule's CLOCK). Upcasters for old event versions are registered on the exported UpcasterRegistry
 * (e.g. in a module's onModuleInit); the store applies them on every read.
 */
@Global()
@Module({
  providers: [
    { provide: UpcasterRegistry, useFactory: () => new UpcasterRegistry() },
    {
      provide: EventStoreMetrics,
      inject: [Pool],
      useFactory: (pool: Pool) => {
        registerDatabaseGauges(pool, register);
        return new EventStoreMetrics(register);
      },
    },
    {
      provide: PostgresEventStore,
      inject: [Pool, EventStoreMetrics, UpcasterRegistry, CLOCK],
      useFactory: (
        pool: Pool,
        metrics: EventStoreMetrics,
        upcasters: UpcasterRegistry,
        clock: Clock,
      ) => new PostgresEventStore(pool, { metrics, upcasters, clock }),
    },
    { provide: EVENT_STORE, useExisting: PostgresEventStore },
    {
      provide: PostgresCheckpointStore,
      inject: [Pool],
      useFactory: (pool: Pool) => new PostgresCheckpointStore(pool),
    },
  ],
  exports: [
    EVENT_STORE,
    PostgresEventStore,
    PostgresCheckpointStore,
    EventStoreMetrics,
    UpcasterRegistry,
  ],
})
export class EventStoreModule {}
