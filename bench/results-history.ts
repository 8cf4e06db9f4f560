// Where a benchmark run's report goes: the history file of the month it ran in, so that
// bench/RESULTS.md stays a short summary of the current figures, kept up to date by hand.
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from '@backbone/config';

/** `RESULTS-2026-12.md`: by the UTC month, as the reports' headings give their dates in UTC. */
export function historyFileName(ranAt: Date): string {
  return `RESULTS-${ranAt.toISOString().slice(0, 7)}.md`;
}

const monthHeader = (ranAt: Date): string =>
  [
    `# Benchmark history, ${ranAt.toISOString().slice(0, 7)}`,
    '',
    "This is the dated log of this month's benchmark runs, and of the findings written between",
    'them, newest last: the bench scripts append every run at the end. The current figures, and',
    'the conclusions that still hold, are at the top of [bench/RESULTS.md](../RESULTS.md), kept',
    'up to date by hand.',
    '',
  ].join('\n');

/**
 * Appends a run's report (its dated section) to bench/history/RESULTS-YYYY-MM.md, starting the
 * file if this is the month's first run, and reminds whoever ran it of the summary.
 */
export function appendToResultsHistory(report: string, ranAt = new Date()): void {
  const directory = join(projectRoot(), 'bench', 'history');
  const file = join(directory, historyFileName(ranAt));
  if (!existsSync(file)) {
    mkdirSync(directory, { recursive: true });
    writeFileSync(file, monthHeader(ranAt));
  }
  appendFileSync(file, report);
  process.stderr.write(
    `[bench] appended to ${relative(projectRoot(), file)}. If a full run's figures change the ` +
      'picture, update the summary at the top of bench/RESULTS.md by hand.\n',
  );
}
