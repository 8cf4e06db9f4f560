import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import { sleepUnlessAborted } from './sleep-unless-aborted';

export interface LeaderOptions {
  /** The PostgreSQL advisory lock key (a 64-bit integer, as a decimal string). */
  lockKey: string;
  /** Stops trying to lead, and stops the work, when aborted. */
  signal: AbortSignal;
  logger: Logger;
  /** How long a follower waits before trying to take the lock again. */
  retryMs?: number;
}

/**
 * Runs `work` on at most one instance at a time, across every process sharing the database:
 * the one holding a session-level advisory lock. The lock lives as long as its session, so
 * when the leader dies another instance takes over within `retryMs`. `work` gets a signal that
 * aborts when the lock's session is lost or the caller stops.
 */
export async function runWhileLeader(
  pool: Pool,
  options: LeaderOptions,
  work: (signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const { signal, logger, lockKey } = options;
  while (!signal.aborted) {
    let session: PoolClient | undefined;
    const lost = new AbortController();
    const onLost = (): void => lost.abort();
    try {
      session = await pool.connect();
      session.on('error', onLost);
      signal.addEventListener('abort', onLost, { once: true });
      const { rows } = await session.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1) AS locked',
        [lockKey],
      );
      if (rows[0].locked) {
        logger.info('became the active instance');
        await work(lost.signal);
      }
    } catch (error) {
      if (!signal.aborted) logger.error({ err: error }, 'stopped; will try again');
    } finally {
      signal.removeEventListener('abort', onLost);
      if (session) {
        session.off('error', onLost);
        await session.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
        session.release();
      }
    }
    await sleepUnlessAborted(options.retryMs ?? 2_000, signal);
  }
}
