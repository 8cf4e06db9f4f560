import { Global, Module } from '@nestjs/common';
import { Pool } from 'pg';
import { PostgresCheckpointStore } from './postgres/checkpoint-store';
import { PostgresEventStore } from './postgres/postgres-event-store';

@Global()
@Module({
  providers: [
    { provide: PostgresEventStore, inject: [Pool], useFactory: (pool: Pool) => new PostgresEventStore(pool) },
    { provide: PostgresCheckpointStore, inject: [Pool], useFactory: (pool: Pool) => new PostgresCheckpointStore(pool) },
  ],
  exports: [PostgresEventStore, PostgresCheckpointStore],
})
export class EventStoreModule {}
