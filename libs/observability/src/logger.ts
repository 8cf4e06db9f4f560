import pino, { Logger } from 'pino';

/** The process-wide structured logger (JSON lines on stdout). */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'referral-backbone' } });
}

export const rootLogger: Logger = createLogger();
export type { Logger };
