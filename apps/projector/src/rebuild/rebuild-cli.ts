import 'reflect-metadata';
import { Pool } from 'pg';
import { loadConfig } from '@backbone/config';
import { CONTRACT_UPCASTERS } from '@backbone/contracts';
import { PostgresEventStore, UpcasterRegistry } from '@backbone/event-store';
import { READ_MODELS } from '../referral-views/read-models';
import { parseRebuildArgs } from './rebuild-args';
import { RebuildProgress, formatProgress } from './rebuild-progress';
import { rebuildReadModel } from './rebuild-read-model';

// `npm run projections:rebuild [-- --model referral-views|case-views]`: rebuilds read models
// from the event store (DATABASE_URL) and swaps each in while the backbone keeps serving.

const PROGRESS_EVERY_MS = 250;

/** Progress on stderr: redrawn in place on a terminal, one line per report otherwise. */
function progressReporter(): (progress: RebuildProgress) => void {
  let last = 0;
  return (progress) => {
    const now = Date.now();
    if (now - last < PROGRESS_EVERY_MS && progress.done < progress.total) return;
    last = now;
    const line = formatProgress(progress);
    process.stderr.write(process.stderr.isTTY ? `\r${line}\x1b[K` : `${line}\n`);
  };
}

async function main(): Promise<void> {
  const models = parseRebuildArgs(process.argv.slice(2));
  const config = loadConfig();
  const pool = new Pool({ connectionString: config.databaseUrl, max: 4 });
  // Read the store as the publisher does: old event versions upcast to the current ones.
  const upcasters = new UpcasterRegistry();
  for (const { name, fromVersion, upcast } of CONTRACT_UPCASTERS)
    upcasters.register(name, fromVersion, upcast);
  const store = new PostgresEventStore(pool, { upcasters });
  try {
    for (const name of models) {
      const started = Date.now();
      const events = await rebuildReadModel(pool, store, READ_MODELS[name], {
        onProgress: progressReporter(),
      });
      if (process.stderr.isTTY) process.stderr.write('\n');
      process.stderr.write(
        `${name}: rebuilt from ${events} events in ${((Date.now() - started) / 1000).toFixed(1)} s and swapped in\n`,
      );
    }
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`projections:rebuild failed: ${String(error)}\n`);
  process.exit(1);
});
