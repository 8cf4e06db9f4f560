import type { Pool } from 'pg';
import { formatVerificationProgress } from './progress-bar';
import {
  StoreVerificationReport,
  VerificationProgress,
  verifyWholeStore,
} from './store-verification';

export interface CommandOutput {
  write(text: string): void;
  isTTY?: boolean;
}

const PROGRESS_EVERY_MS = 200;

/** Progress on stderr: redrawn in place on a terminal, a line every few seconds otherwise. */
function progressReporter(err: CommandOutput): (progress: VerificationProgress) => void {
  let last = 0;
  const every = err.isTTY ? PROGRESS_EVERY_MS : 5_000;
  return (progress) => {
    const now = Date.now();
    if (now - last < every && progress.events < progress.total) return;
    last = now;
    const line = formatVerificationProgress(progress);
    err.write(err.isTTY ? `\r${line}\x1b[K` : `${line}\n`);
  };
}

export function describeReport(report: StoreVerificationReport): string {
  const seconds = report.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(report.events / seconds) : report.events;
  const lines = [
    `${report.events.toLocaleString('en-US')} events in ${report.streams.toLocaleString('en-US')} streams ` +
      `verified in ${seconds.toFixed(1)} s (${rate.toLocaleString('en-US')} events/s)`,
  ];
  if (!report.broken.length) {
    lines.push('every hash chain verifies');
  } else {
    lines.push(`${report.broken.length} broken stream(s):`);
    for (const broken of report.broken) {
      const at = broken.firstBrokenAt === undefined ? '' : ` at version ${broken.firstBrokenAt}`;
      lines.push(`  ${broken.streamId}: broken${at} (${broken.events} events): ${broken.reason}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `npm run audit:verify [-- --json]`: verifies every stream of the store (DATABASE_URL) and
 * reports each broken one. Exit status 0 when every chain verifies, 1 when any is broken.
 */
export async function runVerifyCommand(
  argv: string[],
  pool: Pool,
  io: { out: CommandOutput; err: CommandOutput },
): Promise<number> {
  const report = await verifyWholeStore(pool, { onProgress: progressReporter(io.err) });
  if (io.err.isTTY) io.err.write('\n');
  io.out.write(
    argv.includes('--json') ? `${JSON.stringify(report, null, 2)}\n` : describeReport(report),
  );
  return report.broken.length ? 1 : 0;
}
