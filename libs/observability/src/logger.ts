import pino, { Logger } from 'pino';
import { personalFieldNames } from '@backbone/contracts';

type LogTap = (line: string) => void;
const taps = new Set<LogTap>();
let muted = 0;
let destination: (line: string) => void = (line) => process.stdout.write(line);

/**
 * Writes one log line as this thread's own: to stdout, and to any tap a test adds to inspect what
 * was logged. Worker threads' lines come here too (`sendLogLinesTo`), so that one thread writes
 * the process's log and taps see every line.
 */
export function writeLogLine(line: string): void {
  if (!muted) destination(line);
  for (const tap of taps) tap(line);
}

/** Sends this thread's log lines to `send` instead of stdout (a worker thread, to its parent). */
export function sendLogLinesTo(send: (line: string) => void): void {
  destination = send;
}

const logSink = { write: writeLogLine };

/**
 * Calls `tap` with every log line from now on (instead of writing them to stdout when
 * `muteStdout`); returns the function that stops it.
 */
export function tapLogs(tap: LogTap, { muteStdout = false } = {}): () => void {
  taps.add(tap);
  if (muteStdout) muted++;
  return () => {
    if (taps.delete(tap) && muteStdout) muted--;
  };
}

/** How deep in a logged object personal fields are looked for. */
const REDACTED_DEPTH = 4;

/**
 * Every place a personal field (by the contracts' classification) can sit in a logged object,
 * up to a few levels deep: logs never carry personal data, even when a whole command is logged.
 */
export function personalDataLogPaths(): string[] {
  return personalFieldNames().flatMap((field) =>
    Array.from({ length: REDACTED_DEPTH }, (_, depth) =>
      [...Array<string>(depth).fill('*'), field].join('.'),
    ),
  );
}

/** The process-wide structured logger (JSON lines on stdout). */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino(
    {
      level,
      base: { service: 'referral-backbone' },
      redact: { paths: personalDataLogPaths(), censor: '[personal data]' },
    },
    logSink,
  );
}

export const rootLogger: Logger = createLogger();
export type { Logger };
