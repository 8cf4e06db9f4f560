import type { Pool, PoolClient } from 'pg';
import { ReapplyReport, reapplyQuarantined } from '@backbone/database';
import type { EventStore, StoredEvent } from '@backbone/event-store';
import { rootLogger } from '@backbone/observability';
import { projectedFromStore as projected } from '../engine/projected-event';
import { READ_MODELS } from '../engine/read-models';
import { RowSet, foldEvents, rowKey } from '../engine/row-projection';
import { rowTableSql, upsertValues } from '../engine/row-table.sql';

const logger = rootLogger.child({ component: 'projector-quarantine' });

export type { ReapplyReport } from '@backbone/database';

/**
 * Re-applies the events the projector has quarantined, in log order, after a fix: for each,
 * the rows it concerns are locked and built again from its stream in the store, this time with
 * it, and it is marked re-applied, in one transaction (reapplyQuarantined). A row folds only its
 * own stream's events, so it comes out as though the event had been applied in its turn, once;
 * events after it that the projector has not applied yet change nothing when they come
 * (stream-version guard).
 */
export function reapplyQuarantinedEvents(
  pool: Pool,
  store: Pick<EventStore, 'readStream'>,
): Promise<ReapplyReport> {
  return reapplyQuarantined(pool, {
    consumer: 'projector',
    readStream: (streamId) => store.readStream(streamId),
    apply: reapplyToRows,
    logger,
  });
}

async function reapplyToRows(
  client: PoolClient,
  event: StoredEvent,
  stream: StoredEvent[],
): Promise<void> {
  const events = stream.map(projected);
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
}
