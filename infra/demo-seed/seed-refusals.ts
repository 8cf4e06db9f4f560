// When the demo seeder refuses to run: it makes synthetic data, backdated a year, into a fresh
// development store, and nowhere else.
import type { BackboneConfig } from '@backbone/config';
import { DEADLINE_WATCHER_PART } from '@backbone/database';
import { isDemoDirectoryFile } from '@backbone/directory';
import { Client } from 'pg';

const LATEST_RECORDED = `SELECT max(recorded_at) AS latest FROM events`;

/** Refusals that need no database: the mode and the directory. */
export function settingsRefusals(config: BackboneConfig): string[] {
  const refusals: string[] = [];
  if (config.environment === 'production')
    refusals.push(
      'BACKBONE_ENV=production: the demo seeder makes synthetic data for development only and never runs in production.',
    );
  if (config.directoryFile && !isDemoDirectoryFile(config.directoryFile))
    refusals.push(
      `DIRECTORY_FILE=${config.directoryFile} is not the demo directory: the demo year is made among the demo sites' agencies only. Unset DIRECTORY_FILE.`,
    );
  return refusals;
}

/**
 * A store that already recorded something after the year's start: a year recorded into it
 * now would go back in time against its positions.
 */
export async function storeRefusal(client: Client, yearStart: Date): Promise<string | undefined> {
  const { rows } = await client.query<{ latest: Date | null }>(LATEST_RECORDED);
  const latest = rows[0].latest;
  if (!latest || latest < yearStart) return undefined;
  return (
    `the event store already holds events recorded after the demo year's start, ${yearStart.toISOString()} ` +
    `(the latest at ${latest.toISOString()}): a year recorded now would go back in time against the store's ` +
    'positions. Seed a fresh store: npm start -- --fresh --seed (see README, Demo data).'
  );
}

/**
 * Takes the deadline watcher's advisory lock on the seeder's own session, for as long as it
 * seeds: no backbone's watcher may judge the seeded deadlines by today's clock meanwhile (a
 * backbone started later waits for it, and takes the remaining deadlines over once seeding
 * ends). Refused when a running backbone holds it.
 */
export async function takeDeadlineWatcherLock(client: Client): Promise<string | undefined> {
  const { rows } = await client.query<{ locked: boolean }>(
    'SELECT pg_try_advisory_lock($1) AS locked',
    [DEADLINE_WATCHER_PART.lockKey],
  );
  if (rows[0].locked) return undefined;
  return (
    "a backbone is running on this database (its deadline watcher holds the lock): it would judge the seeded year's " +
    "deadlines by today's clock. Stop it (Ctrl-C on npm start) and seed first, or start with npm start -- --seed."
  );
}
