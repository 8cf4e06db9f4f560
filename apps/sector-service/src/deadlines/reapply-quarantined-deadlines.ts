import type { Pool, PoolClient } from 'pg';
import { ReapplyReport, reapplyQuarantined } from '@backbone/database';
import type { EventStore, StoredEvent } from '@backbone/event-store';
import { rootLogger } from '@backbone/observability';
import { scheduleChangeOf } from './deadline-schedule';
import type { PendingDeadlines } from './pending-deadlines';

const logger = rootLogger.child({ component: 'deadline-watcher-quarantine' });

export interface DeadlinesReapplyReport extends ReapplyReport {
  /** Held deadlines released, to be acted on at the watcher's next poll. */
  released: number;
}

/**
 * After a fix: re-applies the events the deadline watcher quarantined, in log order
 * (reapplyQuarantined), and releases the deadlines it held. An event's deadline is worked out
 * again from its whole stream, so that a later event that settled it (a decision, a
 * cancellation) still counts: the deadline is set or cleared as the stream says now.
 */
export async function reapplyQuarantinedDeadlineEvents(
  pool: Pool,
  store: Pick<EventStore, 'readStream'>,
  deadlines: PendingDeadlines,
): Promise<DeadlinesReapplyReport> {
  const report = await reapplyQuarantined(pool, {
    consumer: 'deadline-watcher',
    readStream: (streamId) => store.readStream(streamId),
    apply: (client, event, stream) => trackAgain(client, deadlines, event, stream),
    logger,
  });
  return { ...report, released: (await deadlines.releaseHeld()).length };
}

/** The stream's last schedule change of the event's kind, applied as the stream says now. */
async function trackAgain(
  client: PoolClient,
  deadlines: PendingDeadlines,
  event: StoredEvent,
  stream: StoredEvent[],
): Promise<void> {
  const kind = scheduleChangeOf(event)?.kind;
  const last = stream
    .flatMap((e) => scheduleChangeOf(e) ?? [])
    .filter((change) => change.kind === kind)
    .pop();
  if (last) await deadlines.applyAll([last], client);
}
