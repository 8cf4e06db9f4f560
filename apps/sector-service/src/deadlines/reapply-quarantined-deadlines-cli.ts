import 'reflect-metadata';
import { Pool } from 'pg';
import { loadConfig } from '@backbone/config';
import { CONTRACT_UPCASTERS } from '@backbone/contracts';
import { PostgresEventStore, UpcasterRegistry } from '@backbone/event-store';
import { PendingDeadlines } from './pending-deadlines';
import { reapplyQuarantinedDeadlineEvents } from './reapply-quarantined-deadlines';

// `npm run deadlines:reapply-quarantined`: after a fix is deployed, re-applies every event the
// deadline watcher quarantined (DATABASE_URL) and releases the deadlines it held; prints what
// was re-applied and what still fails (which stays quarantined). Safe while the backbone runs.

async function main(): Promise<void> {
  const config = loadConfig();
  const pool = new Pool({ connectionString: config.databaseUrl, max: 2 });
  const upcasters = new UpcasterRegistry();
  for (const { name, fromVersion, upcast } of CONTRACT_UPCASTERS)
    upcasters.register(name, fromVersion, upcast);
  try {
    const report = await reapplyQuarantinedDeadlineEvents(
      pool,
      new PostgresEventStore(pool, { upcasters }),
      new PendingDeadlines(pool),
    );
    process.stdout.write(`${JSON.stringify(report)}\n`);
    process.stderr.write(
      `deadline watcher: ${report.reapplied.length} quarantined events re-applied, ` +
        `${report.stillFailing.length} still failing (still quarantined), ` +
        `${report.released} held deadlines released\n`,
    );
    if (report.stillFailing.length) process.exitCode = 2;
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`deadlines:reapply-quarantined failed: ${String(error)}\n`);
  process.exit(1);
});
