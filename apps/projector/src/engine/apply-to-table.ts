import type { PoolClient } from 'pg';
import type { ProjectedEvent } from './projected-event';
import { ProjectionRow, RowProjection, RowSet, foldEvents, rowKey } from './row-projection';
import { rowTableSql, upsertValues } from './row-table.sql';

const relevantTo = <R extends ProjectionRow>(
  projection: RowProjection<R>,
  events: readonly ProjectedEvent[],
): ProjectedEvent[] => {
  const types = new Set(projection.eventTypes);
  return events.filter((event) => types.has(event.type));
};

/**
 * The rows of a read-model table that `events` concern, read and locked in one statement. The
 * statement is sent before this first waits, so on a pipelining connection it goes out with
 * whatever is sent beside it.
 */
export async function readRowsFor<R extends ProjectionRow>(
  client: PoolClient,
  projection: RowProjection<R>,
  events: readonly ProjectedEvent[],
  table: string,
): Promise<RowSet<R>> {
  const current = new RowSet<R>();
  const relevant = relevantTo(projection, events);
  if (!relevant.length) return current;
  const keys = [...new Set(relevant.map((event) => rowKey(projection, event)))];
  const { rows } = await client.query<R>({
    ...rowTableSql(projection, table).selectForUpdate,
    values: [keys],
  });
  for (const row of rows) current.putStored(String(row[projection.key]), row);
  return current;
}

/**
 * Folds `events`, in log order, into rows read for them (`readRowsFor`, for these events or
 * more) and writes the changed ones back in one statement, sent at once: how many of the events
 * the projection takes, and the write.
 */
export function writeFoldedRows<R extends ProjectionRow>(
  client: PoolClient,
  projection: RowProjection<R>,
  rows: RowSet<R>,
  events: readonly ProjectedEvent[],
  table: string,
): { taken: number; written: Promise<unknown> } {
  const relevant = relevantTo(projection, events);
  foldEvents(projection, rows, relevant);
  const { fresh, stored } = rows.takeChanged();
  const changed = [...stored, ...fresh];
  const written = changed.length
    ? client.query({
        ...rowTableSql(projection, table).upsert,
        values: upsertValues(projection, changed),
      })
    : Promise.resolve();
  return { taken: relevant.length, written };
}

/**
 * Applies events, in log order, to a read-model table in the caller's transaction: the rows
 * they concern are read and locked in one query, folded in memory, and the changed ones
 * written back in one statement. Returns how many of the events the projection takes.
 */
export async function applyEventsToTable<R extends ProjectionRow>(
  client: PoolClient,
  projection: RowProjection<R>,
  events: readonly ProjectedEvent[],
  table: string,
): Promise<number> {
  const rows = await readRowsFor(client, projection, events, table);
  const { taken, written } = writeFoldedRows(client, projection, rows, events, table);
  await written;
  return taken;
}
