import type { NamedQuery } from '@backbone/database';
import type { ProjectionRow, RowProjection, RowSummary } from './row-projection';

// The bulk statements of one read-model table, built from the projection's column list. Table
// and column names come from code (the closed set of read models), never from input; values
// are always bound parameters or COPY data. The two statements of every projector transaction
// are named, so that PostgreSQL parses and plans them once per connection, not on every group.

export interface RowTableSql {
  /** The rows with these keys ($1, a uuid array), locked for this transaction. */
  selectForUpdate: NamedQuery;
  /** Every row given as column arrays, inserted or overwritten whole, in one statement. */
  upsert: NamedQuery;
  /** COPY … FROM STDIN (text format) in column order; see `copyLine`. */
  copyIn: string;
}

const cache = new Map<string, RowTableSql>();

export function rowTableSql<R extends ProjectionRow>(
  projection: RowProjection<R>,
  table: string,
): RowTableSql {
  const cacheKey = `${table}:${projection.key}:${projection.summary ? 'summarised' : 'plain'}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const names = projection.columns.map(([name]) => name);
  // Times are read back as text: the fold only carries them over, and text keeps every digit.
  const selected = projection.columns.map(([name, type]) =>
    type === 'timestamptz' ? `${name}::text AS ${name}` : name,
  );
  const sql: RowTableSql = {
    selectForUpdate: {
      name: `${table}.select-for-update`,
      text: `
      SELECT ${selected.join(', ')} FROM ${table}
      WHERE ${projection.key} = ANY ($1::uuid[]) FOR UPDATE`,
    },
    upsert: {
      name: `${table}.upsert`,
      text: projection.summary
        ? summarisedUpsert(projection, table)
        : plainUpsert(projection, table),
    },
    copyIn: `COPY ${table} (${names.join(', ')}) FROM STDIN`,
  };
  cache.set(cacheKey, sql);
  return sql;
}

/** The rows given as column arrays ($1, $2, …), inserted or overwritten whole. */
function plainUpsert<R extends ProjectionRow>(projection: RowProjection<R>, table: string): string {
  const names = projection.columns.map(([name]) => name);
  return `
      INSERT INTO ${table} (${names.join(', ')})
      SELECT * FROM unnest(${projection.columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})
      ON CONFLICT (${projection.key}) DO UPDATE SET
        ${names
          .filter((name) => name !== projection.key)
          .map((name) => `${name} = EXCLUDED.${name}`)
          .join(', ')}`;
}

/**
 * The upsert, and in the same statement the summary's sums moved from the rows it replaces to
 * the rows it writes (RowSummary). `replaced` reads the rows as the statement found them: every
 * caller has locked them first (readRowsFor, or a writer of its own table), so they are also
 * what the upsert overwrites.
 */
function summarisedUpsert<R extends ProjectionRow>(
  projection: RowProjection<R>,
  table: string,
): string {
  const summary = projection.summary as RowSummary;
  const names = projection.columns.map(([name]) => name).join(', ');
  const keyAt = projection.columns.findIndex(([name]) => name === projection.key);
  const keys = `$${keyAt + 1}::${projection.columns[keyAt][1]}[]`;
  return `
      WITH written AS (${plainUpsert(projection, table)}
        RETURNING ${names}
      ), replaced AS (
        SELECT ${names} FROM ${table} WHERE ${projection.key} = ANY (${keys})
      )
      ${summary.addChanges(table, summary.tableBeside(table))}`;
}

/** The upsert's parameters: one array per column. */
export function upsertValues<R extends ProjectionRow>(
  projection: RowProjection<R>,
  rows: readonly R[],
): unknown[][] {
  return projection.columns.map(([name]) => rows.map((row) => row[name] ?? null));
}

const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One value in COPY's text format. */
function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return SPECIAL.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]) : text;
}

/** One row as a line of COPY's text format, in the projection's column order. */
export function copyLine<R extends ProjectionRow>(projection: RowProjection<R>, row: R): string {
  let line = '';
  for (const [name] of projection.columns) line += (line ? '\t' : '') + copyValue(row[name]);
  return `${line}\n`;
}
