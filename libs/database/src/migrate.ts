import { join } from 'node:path';
import { Client } from 'pg';
import { runner } from 'node-pg-migrate';
import { projectRoot } from '@backbone/config';

export const MIGRATIONS_DIR = join(projectRoot(), 'migrations');

/** Serialises migration runs across instances: "RBMIGRAT" read as a 64-bit integer. */
const MIGRATION_QUEUE_LOCK_KEY = '5927385036697518420';

/**
 * Applies every pending migration in `migrations/`. node-pg-migrate's own lock is a try-lock: an
 * instance starting while another migrates would fail with "Another migration is already
 * running". Two replicas started together by an orchestrator is the normal case, so each first
 * waits its turn on a blocking advisory lock, then runs node-pg-migrate on the same session (its
 * own lock, re-entrant there, still keeps out a migration run from its command line).
 */
export async function migrate(
  databaseUrl: string,
  log: (msg: string) => void = () => undefined,
): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_QUEUE_LOCK_KEY]);
    await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      direction: 'up',
      migrationsTable: 'pgmigrations',
      count: Infinity,
      log,
      logger: { debug: () => undefined, info: log, warn: log, error: log },
    });
  } finally {
    // Ending the session releases the lock, also when a migration failed half-way.
    await client.end();
  }
}
