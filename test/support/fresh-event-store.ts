import { PostgresEventStore, PostgresEventStoreOptions } from '@backbone/event-store';
import { FreshTestDatabase, freshTestDatabase } from './fresh-test-database';

/** A PostgreSQL event store on a fresh test database of this file's own (see freshTestDatabase). */
export function freshEventStore(
  options: { maxConnections?: number; store?: PostgresEventStoreOptions } = {},
): FreshTestDatabase & { store: PostgresEventStore } {
  return freshTestDatabase({
    maxConnections: options.maxConnections,
    over: ({ pool }) => ({ store: new PostgresEventStore(pool, options.store) }),
  });
}
