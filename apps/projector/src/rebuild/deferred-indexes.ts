import { Pool, escapeIdentifier } from 'pg';

// A table loads faster without its secondary indexes, which are then built once, each from
// sorted input, instead of being updated row by row. The primary key stays: rows written out
// early are looked up by it, and upserted against it.
const SECONDARY_INDEXES = `
  SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
  WHERE i.indrelid = $1::regclass AND NOT i.indisprimary
  ORDER BY c.relname`;

/** A `CREATE INDEX` statement as PostgreSQL itself printed it for the table. */
export interface IndexDefinition {
  name: string;
  definition: string;
}

/** Drops the table's secondary indexes; returns what rebuilds them. */
export async function deferSecondaryIndexes(pool: Pool, table: string): Promise<IndexDefinition[]> {
  const { rows } = await pool.query<IndexDefinition>(SECONDARY_INDEXES, [table]);
  for (const { name } of rows) await pool.query(`DROP INDEX ${escapeIdentifier(name)}`);
  return rows;
}

/** Builds the indexes again, each on a connection of its own, so that they are built together. */
export async function buildIndexes(pool: Pool, indexes: IndexDefinition[]): Promise<void> {
  await Promise.all(indexes.map(({ definition }) => pool.query(definition)));
}
