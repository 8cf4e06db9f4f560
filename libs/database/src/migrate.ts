import { join } from 'node:path';
import { runner } from 'node-pg-migrate';
import { projectRoot } from '@backbone/config';

export const MIGRATIONS_DIR = join(projectRoot(), 'migrations');

/** Applies every pending migration in `migrations/` (node-pg-migrate, under its advisory lock). */
export async function migrate(
  databaseUrl: string,
  log: (msg: string) => void = () => undefined,
): Promise<void> {
  await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    count: Infinity,
    log,
    logger: { debug: () => undefined, info: log, warn: log, error: log },
  });
}
