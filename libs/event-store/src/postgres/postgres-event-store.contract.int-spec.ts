import { Pool } from 'pg';
import { eventStoreContract } from '../testing/event-store.contract';
import { createTestDatabase } from '@backbone/testing/test-stack';
import { PostgresEventStore } from './postgres-event-store';

eventStoreContract('the PostgreSQL event store', async () => {
  const database = await createTestDatabase();
  const pool = new Pool({ connectionString: database.url, max: 8 });
  return {
    store: new PostgresEventStore(pool),
    dispose: async () => {
      await pool.end();
      await database.drop();
    },
  };
});
