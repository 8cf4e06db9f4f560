import type { PoolClient } from 'pg';
import type { ProjectedEvent } from './projected-event';
import { ProjectionRow, RowProjection, RowSet, foldEvents, rowKey } from './row-projection';
import { rowTableSql, upsertValues } from './row-table.sql';

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
  const types = new Set(projection.eventTypes);
  const relevant = events.filter((event) => types.has(event.type));
  if (!relevant.length) return 0;
  const sql = rowTableSql(projection, table);
  const keys = [...new Set(relevant.map((event) => rowKey(projection, event)))];
  const { rows } = await client.query<R>(sql.selectForUpdate, [keys]);
  const current = new RowSet<R>();
  for (const row of rows) current.putStored(String(row[projection.key]), row);
  foldEvents(projection, current, relevant);
  const { fresh, stored } = current.takeChanged();
  const written = [...stored, ...fresh];
  if (written.length) await client.query(sql.upsert, upsertValues(projection, written));
  return relevant.length;
}
