import type { ModelTables } from '../engine/read-models';

// DDL for one of a read model's shadow tables (its rows', or its summary's). Table names come from
// the ReadModel (a closed set fixed in code), never from input: identifiers cannot be bound as
// parameters.

export interface ShadowTableSql {
  /** A fresh, empty copy of the live table: columns, defaults, keys and indexes. */
  create: string[];
  drop: string;
  /** Keeps writers (the live projector) off the live table; queries go on reading it. */
  lockLive: string;
  /** Swaps the shadow in and the old table out; run in one transaction after `lockLive`. */
  swap: string[];
}

export function shadowTableSql({ table, shadowTable }: ModelTables): ShadowTableSql {
  const retired = `${table}_retired`;
  return {
    create: [
      `DROP TABLE IF EXISTS ${shadowTable}`,
      `CREATE TABLE ${shadowTable} (LIKE ${table} INCLUDING ALL)`,
    ],
    drop: `DROP TABLE IF EXISTS ${shadowTable}`,
    lockLive: `LOCK TABLE ${table} IN EXCLUSIVE MODE`,
    swap: [
      `ALTER TABLE ${table} RENAME TO ${retired}`,
      `ALTER TABLE ${shadowTable} RENAME TO ${table}`,
      `DROP TABLE ${retired}`,
      // The copied indexes were named after the shadow table; once the old table is gone their
      // names are free, so every rebuild leaves the same names behind.
      `DO $$
       DECLARE index_name text;
       BEGIN
         FOR index_name IN
           SELECT indexname FROM pg_indexes
           WHERE schemaname = current_schema() AND tablename = '${table}'
             AND left(indexname, length('${shadowTable}_')) = '${shadowTable}_'
         LOOP
           EXECUTE format('ALTER INDEX %I RENAME TO %I', index_name,
                          '${table}_' || substr(index_name, length('${shadowTable}_') + 1));
         END LOOP;
       END $$`,
    ],
  };
}
