import type { Pool } from 'pg';
import {
  QuarantinedEvent,
  inTransaction,
  isSystemicFault,
  isTransientFault,
  quarantinedEvents,
} from '@backbone/database';
import type { EventStore } from '@backbone/event-store';
import { rootLogger } from '@backbone/observability';
import { scheduleChangeOf } from './deadline-schedule';
import type { PendingDeadlines } from './pending-deadlines';

const logger = rootLogger.child({ component: 'deadline-watcher-quarantine' });

export interface DeadlinesReapplyReport {
  /** Event ids re-applied (and marked so). */
  reapplied: string[];
  /** Event ids that failed again: still quarantined, their attempts counted. */
  stillFailing: string[];
  /** Held deadlines released, to be acted on at the watcher's next poll. */
  released: number;
}

/**
 * After a fix: re-applies the events the deadline watcher quarantined, in log order, and
 * releases the deadlines it held. An event's deadline is worked out again from its whole
 * stream (events still quarantined left out), so that a later event that settled it (a
 * decision, a cancellation) still counts: the deadline is set or cleared as the stream says
 * now, and the event marked re-applied, in one transaction. One that fails again stays
 * quarantined with one more attempt counted.
 */
export async function reapplyQuarantinedDeadlineEvents(
  pool: Pool,
  store: Pick<EventStore, 'readStream'>,
  deadlines: PendingDeadlines,
): Promise<DeadlinesReapplyReport> {
  const report: DeadlinesReapplyReport = { reapplied: [], stillFailing: [], released: 0 };
  for (const quarantined of await quarantinedEvents.pending(pool, 'deadline-watcher')) {
    try {
      await reapplyOne(pool, store, deadlines, quarantined);
      report.reapplied.push(quarantined.eventId);
    } catch (error) {
      if (isTransientFault(error) || isSystemicFault(error)) throw error;
      await quarantinedEvents.markStillFailing(
        pool,
        'deadline-watcher',
        quarantined.eventId,
        error,
      );
      report.stillFailing.push(quarantined.eventId);
      logger.warn(
        {
          eventId: quarantined.eventId,
          globalPosition: quarantined.globalPosition,
          type: quarantined.type,
        },
        'quarantined event still cannot be tracked; it stays quarantined',
      );
    }
  }
  report.released = (await deadlines.releaseHeld()).length;
  return report;
}

async function reapplyOne(
  pool: Pool,
  store: Pick<EventStore, 'readStream'>,
  deadlines: PendingDeadlines,
  quarantined: QuarantinedEvent,
): Promise<void> {
  await inTransaction(pool, async (client) => {
    const stream = await store.readStream(quarantined.streamId);
    const event = stream.find((e) => e.eventId === quarantined.eventId);
    if (!event) throw new Error(`event ${quarantined.eventId} is not in the store`);
    const kind = scheduleChangeOf(event)?.kind;
    const skip = await quarantinedEvents.pendingPositions(client, 'deadline-watcher');
    skip.delete(quarantined.globalPosition);
    const last = stream
      .filter((e) => !skip.has(e.globalPosition))
      .flatMap((e) => scheduleChangeOf(e) ?? [])
      .filter((change) => change.kind === kind)
      .pop();
    if (last) await deadlines.applyAll([last], client);
    await quarantinedEvents.markReapplied(client, 'deadline-watcher', quarantined.eventId);
  });
}
