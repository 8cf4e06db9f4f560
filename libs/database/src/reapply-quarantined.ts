import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import { QuarantinedEvent, QuarantiningConsumer, quarantinedEvents } from './quarantined-events';
import { inTransaction } from './transaction';
import { isSystemicFault, isTransientFault } from './transient-fault';

/** A stored event as far as re-applying needs it (the event store's StoredEvent fits). */
export interface ReappliedEventRef {
  eventId: string;
  globalPosition: string;
}

export interface ReapplyReport {
  /** Event ids re-applied (and marked so). */
  reapplied: string[];
  /** Event ids that failed again: still quarantined, their attempts counted. */
  stillFailing: string[];
}

/** How one consumer applies an event again, within the transaction that marks it re-applied. */
export interface Reapplication<E extends ReappliedEventRef> {
  consumer: QuarantiningConsumer;
  readStream(streamId: string): Promise<E[]>;
  /**
   * Applies `event` again from its stream: `stream` holds the stream's events in order, those
   * still quarantined apart from this one left out, as live processing left them out.
   */
  apply(client: PoolClient, event: E, stream: E[]): Promise<void>;
  logger: Logger;
}

/**
 * Re-applies a consumer's quarantined events in log order, after a fix: each in a transaction
 * of its own that applies it and marks it re-applied. One that fails again stays quarantined
 * with one more attempt counted; a transient or systemic fault (the database is away) ends the
 * run, since every later event would fail the same way.
 */
export async function reapplyQuarantined<E extends ReappliedEventRef>(
  pool: Pool,
  how: Reapplication<E>,
): Promise<ReapplyReport> {
  const report: ReapplyReport = { reapplied: [], stillFailing: [] };
  for (const quarantined of await quarantinedEvents.pending(pool, how.consumer)) {
    const where = { eventId: quarantined.eventId, globalPosition: quarantined.globalPosition };
    try {
      await reapplyOne(pool, how, quarantined);
      report.reapplied.push(quarantined.eventId);
      how.logger.info(where, 'quarantined event re-applied');
    } catch (error) {
      if (isTransientFault(error) || isSystemicFault(error)) throw error;
      await quarantinedEvents.markStillFailing(pool, how.consumer, quarantined.eventId, error);
      report.stillFailing.push(quarantined.eventId);
      how.logger.warn(
        { ...where, type: quarantined.type },
        'quarantined event still cannot be applied; it stays quarantined',
      );
    }
  }
  return report;
}

async function reapplyOne<E extends ReappliedEventRef>(
  pool: Pool,
  how: Reapplication<E>,
  quarantined: QuarantinedEvent,
): Promise<void> {
  await inTransaction(pool, async (client) => {
    const stream = await how.readStream(quarantined.streamId);
    const event = stream.find((e) => e.eventId === quarantined.eventId);
    if (!event) throw new Error(`event ${quarantined.eventId} is not in the store`);
    const skip = await quarantinedEvents.pendingPositions(client, how.consumer);
    skip.delete(quarantined.globalPosition);
    const applied = stream.filter((e) => !skip.has(e.globalPosition));
    await how.apply(client, event, applied);
    await quarantinedEvents.markReapplied(client, how.consumer, quarantined.eventId);
  });
}
