import 'reflect-metadata';
import { Pool } from 'pg';
import { loadConfig } from '@backbone/config';
import { CONTRACT_UPCASTERS } from '@backbone/contracts';
import { PostgresEventStore, UpcasterRegistry } from '@backbone/event-store';
import { reapplyQuarantinedEvents } from './reapply-quarantined';

// `npm run projections:reapply-quarantined`: after a fix is deployed, re-applies every event
// the projector quarantined (DATABASE_URL), in log order; prints what was re-applied and what
// still fails (which stays quarantined). Safe to run while the backbone runs, and again.

async function main(): Promise<void> {
  const config = loadConfig();
  const pool = new Pool({ connectionString: config.databaseUrl, max: 2 });
  const upcasters = new UpcasterRegistry();
  for (const { name, fromVersion, upcast } of CONTRACT_UPCASTERS)
    upcasters.register(name, fromVersion, upcast);
  try {
    const report = await reapplyQuarantinedEvents(
      pool,
      new PostgresEventStore(pool, { upcasters }),
    );
    process.stdout.write(`${JSON.stringify(report)}\n`);
    process.stderr.write(
      `projector: ${report.reapplied.length} quarantined events re-applied, ` +
        `${report.stillFailing.length} still failing (still quarantined)\n`,
    );
    if (report.stillFailing.length) process.exitCode = 2;
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`projections:reapply-quarantined failed: ${String(error)}\n`);
  process.exit(1);
});
