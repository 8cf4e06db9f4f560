import type { Logger } from 'pino';
import { sleepUnlessAborted } from '@backbone/database';

/**
 * Starts one of the console's Kafka followers without holding up the application, retrying
 * until it runs or the application stops: right after topics are created a broker may not lead
 * them yet, and the console's trouble must never keep the backbone itself from starting.
 * `cleanUp` undoes a half-done attempt before the next one.
 */
export async function startInBackground(
  what: string,
  logger: Logger,
  signal: AbortSignal,
  start: () => Promise<void>,
  cleanUp: () => Promise<void>,
): Promise<void> {
  for (let attempt = 1; !signal.aborted; attempt++) {
    try {
      await start();
      return;
    } catch (error) {
      await cleanUp().catch(() => undefined);
      if (signal.aborted) return;
      logger.warn({ err: error, attempt }, `could not start the ${what} yet; retrying`);
      await sleepUnlessAborted(Math.min(500 * attempt, 10_000), signal);
    }
  }
}
