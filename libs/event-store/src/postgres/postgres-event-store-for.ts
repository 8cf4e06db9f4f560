import type { Pool } from 'pg';
import { UpcastStep, UpcasterRegistry } from '../upcasting/upcaster-registry';
import { PostgresEventStore } from './postgres-event-store';

/**
 * The PostgreSQL event store on `pool` for code that runs outside a Nest application (the
 * command-line tools), reading old event versions as current ones through `upcasts` (the
 * contracts' CONTRACT_UPCASTERS) as the applications' store does; without metrics.
 */
export function postgresEventStoreFor(
  pool: Pool,
  upcasts: Iterable<UpcastStep> = [],
): PostgresEventStore {
  return new PostgresEventStore(pool, { upcasters: new UpcasterRegistry().registerAll(upcasts) });
}
