import type { Pool } from 'pg';
import {
  QuarantinedEvent,
  inTransaction,
  isSystemicFault,
  isTransientFault,
  quarantinedEvents,
} from '@backbone/database';
import type { EventStore, StoredEvent } from '@backbone/event-store';
import { rootLogger } from '@backbone/observability';
import type { ProjectedEvent } from '../engine/projected-event';
import { READ_MODELS } from '../engine/read-models';
import { RowSet, foldEvents, rowKey } from '../engine/row-projection';
import { rowTableSql, upsertValues } from '../engine/row-table.sql';

const logger = rootLogger.child({ component: 'projector-quarantine' });

export interface ReapplyReport {
  /** Event ids re-applied (and marked so). */
  reapplied: string[];
  /** Event ids that failed again: still quarantined, their attempts counted. */
  stillFailing: string[];
}

/** A stored event as the projections read it (the publisher's CloudEvent fields). */
const projected = (event: StoredEvent): ProjectedEvent => ({
  type: event.type,
  subject: event.streamId.slice(event.streamId.indexOf('-') + 1),
  time: event.recordedAt,
  streamversion: event.streamVersion,
  data: event.data,
});

/**
 * Re-applies the events the projector has quarantined, in log order, after a fix: for each,
 * the rows it concerns are locked and built again from its stream in the store, this time with
 * it (events of the stream still quarantined stay left out, as live processing left them out),
 * and it is marked re-applied, in one transaction. A row folds only its own stream's events,
 * so it comes out as though the event had been applied in its turn, once; events after it that
 * the projector has not applied yet change nothing when they come (stream-version guard). One
 * that fails again stays quarantined with one more attempt counted.
 */
export async function reapplyQuarantinedEvents(
  pool: Pool,
  store: Pick<EventStore, 'readStream'>,
): Promise<ReapplyReport> {
  const report: ReapplyReport = { reapplied: [], stillFailing: [] };
  for (const quarantined of await quarantinedEvents.pending(pool, 'projector')) {
    try {
      await reapplyOne(pool, store, quarantined);
      report.reapplied.push(quarantined.eventId);
      logger.info(
        { eventId: quarantined.eventId, globalPosition: quarantined.globalPosition },
        'quarantined event re-applied',
      );
    } catch (error) {
      if (isTransientFault(error) || isSystemicFault(error)) throw error;
      await quarantinedEvents.markStillFailing(pool, 'projector', quarantined.eventId, error);
      report.stillFailing.push(quarantined.eventId);
      logger.warn(
        {
          eventId: quarantined.eventId,
          globalPosition: quarantined.globalPosition,
          type: quarantined.type,
        },
        'quarantined event still cannot be applied; it stays quarantined',
      );
    }
  }
  return report;
}

async function reapplyOne(
  pool: Pool,
  store: Pick<EventStore, 'readStream'>,
  quarantined: QuarantinedEvent,
): Promise<void> {
  await inTransaction(pool, async (client) => {
    const stream = await store.readStream(quarantined.streamId);
    const event = stream.find((e) => e.eventId === quarantined.eventId);
    if (!event) throw new Error(`event ${quarantined.eventId} is not in the store`);
    // Still quarantined, apart from this one: left out as live processing left them out.
    const skip = await quarantinedEvents.pendingPositions(client, 'projector');
    skip.delete(quarantined.globalPosition);
    const events = stream.filter((e) => !skip.has(e.globalPosition)).map(projected);
    for (const model of Object.values(READ_MODELS)) {
      if (!model.handles(event.type)) continue;
      const { projection, table } = model;
      const key = rowKey(projection, projected(event));
      const sql = rowTableSql(projection, table);
      // Locked first: the live projector's next group on this row waits, then sees it.
      await client.query({ ...sql.selectForUpdate, values: [[key]] });
      const fresh = new RowSet<Record<string, unknown>>();
      foldEvents(
        projection,
        fresh,
        events.filter((e) => model.handles(e.type) && rowKey(projection, e) === key),
      );
      const changed = fresh.takeChanged().fresh;
      if (changed.length)
        await client.query({ ...sql.upsert, values: upsertValues(projection, changed) });
    }
    await quarantinedEvents.markReapplied(client, 'projector', quarantined.eventId);
  });
}
