import { Pool } from 'pg';
import { loadConfig } from '@backbone/config';
import { CONTRACT_UPCASTERS } from '@backbone/contracts';
import { EventStore, postgresEventStoreFor } from '@backbone/event-store';

/** What re-applying a consumer's quarantined events reports (at least). */
export interface QuarantineReapplyReport {
  reapplied: readonly unknown[];
  stillFailing: readonly unknown[];
}

export interface ReapplyQuarantinedScript<R extends QuarantineReapplyReport> {
  /** The npm script, named when it fails: `projections:reapply-quarantined`. */
  script: string;
  /** The consumer whose quarantine it empties, as the summary line names it. */
  consumer: string;
  reapply: (pool: Pool, store: EventStore) => Promise<R>;
  /** What else it did, for the end of the summary line: `, 2 held deadlines released`. */
  alsoDone?: (report: R) => string;
}

/**
 * Runs a `…:reapply-quarantined` script against DATABASE_URL, reading the store as the services
 * do (old event versions upcast to current ones): the report as JSON on stdout, a summary line
 * on stderr; exit code 2 when some events still fail (they stay quarantined), 1 when it could
 * not run.
 */
export function runReapplyQuarantinedScript<R extends QuarantineReapplyReport>(
  script: ReapplyQuarantinedScript<R>,
): void {
  reapplyQuarantined(script).catch((error: unknown) => {
    process.stderr.write(`${script.script} failed: ${String(error)}\n`);
    process.exit(1);
  });
}

async function reapplyQuarantined<R extends QuarantineReapplyReport>(
  script: ReapplyQuarantinedScript<R>,
): Promise<void> {
  const config = loadConfig();
  const pool = new Pool({ connectionString: config.databaseUrl, max: 2 });
  try {
    const report = await script.reapply(pool, postgresEventStoreFor(pool, CONTRACT_UPCASTERS));
    process.stdout.write(`${JSON.stringify(report)}\n`);
    process.stderr.write(
      `${script.consumer}: ${report.reapplied.length} quarantined events re-applied, ` +
        `${report.stillFailing.length} still failing (still quarantined)` +
        `${script.alsoDone?.(report) ?? ''}\n`,
    );
    if (report.stillFailing.length) process.exitCode = 2;
  } finally {
    await pool.end();
  }
}
