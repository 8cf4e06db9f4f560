import 'reflect-metadata';
import { Pool } from 'pg';
import { loadConfig } from '@backbone/config';
import { CONTRACT_UPCASTERS } from '@backbone/contracts';
import { UpcasterRegistry } from '@backbone/event-store';
import { READ_MODELS } from '../engine/read-models';
import { parseRebuildArgs } from './rebuild-args';
import { RebuildProgress, formatProgress } from './rebuild-progress';
import { rebuildReadModels } from './rebuild-read-model';

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
  const args = process.argv.slice(2);
  // --json: the summary on stdout as JSON too, for scripts (the benchmark reads it).
  const json = args.includes('--json');
  const models = parseRebuildArgs(args.filter((arg) => arg !== '--json')).map(
    (name) => READ_MODELS[name],
  );
  const config = loadConfig();
  // The log reader, a writer per model, and index builds side by side.
  const pool = new Pool({ connectionString: config.databaseUrl, max: 6 });
  // Read the store as the publisher does: old event versions upcast to the current ones.
  const upcasters = new UpcasterRegistry().registerAll(CONTRACT_UPCASTERS);
  const upcastTypes = CONTRACT_UPCASTERS.map(({ name, fromVersion }) => `${name}.v${fromVersion}`);
  try {
    const started = Date.now();
    const cpu = process.cpuUsage();
    // One pass over the log builds every named model.
    const summary = await rebuildReadModels(pool, models, {
      upcasters,
      upcastTypes,
      onProgress: progressReporter(),
    });
    const seconds = (Date.now() - started) / 1000;
    const { user, system } = process.cpuUsage(cpu);
    const cpuSeconds = (user + system) / 1e6;
    if (process.stderr.isTTY) process.stderr.write('\n');
    const names = models.map((model) => model.name).join(', ');
    const s = (ms: number) => (ms / 1000).toFixed(1);
    process.stderr.write(
      `${names}: rebuilt from ${summary.events} events in ${seconds.toFixed(1)} s ` +
        `(read and fold ${s(summary.readMs)} s, write and index ${s(summary.writeMs)} s, ` +
        `catch up and swap ${s(summary.swapMs)} s; ${cpuSeconds.toFixed(1)} s CPU) and swapped in\n`,
    );
    if (json)
      process.stdout.write(
        `${JSON.stringify({ ...summary, seconds, cpuSeconds, models: models.map((m) => m.name) })}\n`,
      );
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`projections:rebuild failed: ${String(error)}\n`);
  process.exit(1);
});
