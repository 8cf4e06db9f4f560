import type { Pool, PoolClient } from 'pg';
import { inTransaction, quarantinedEvents } from '@backbone/database';
import { LogPosition, START_OF_LOG, UpcasterRegistry } from '@backbone/event-store';
import { worthIsolating } from '../engine/culprit-isolation';
import { ModelTables, READ_MODEL_NAMES, ReadModel } from '../engine/read-models';
import { applySkippingCulprits } from './culprit-skipping-apply';
import { IndexDefinition, buildIndexes, deferSecondaryIndexes } from './deferred-indexes';
import { RebuildProgress } from './rebuild-progress';
import { SettledWrites, ShadowRows } from './shadow-rows';
import { shadowTableSql } from './shadow-table.sql';
import { LoggedEvent, copyLogAfter } from './store-log-copy';

// An upper bound of the events in the store, for the progress bar: cheap (the primary key's
// last entry), where count(*) would read the whole log once more.
const LAST_POSITION = 'SELECT coalesce(max(global_position), 0)::float8 AS last FROM events';
// One rebuild per model at a time, across processes; keyed by the model's table name.
const TRY_LOCK =
  "SELECT pg_try_advisory_lock(hashtext('projector-rebuild'), hashtext($1)) AS locked";
const UNLOCK = "SELECT pg_advisory_unlock(hashtext('projector-rebuild'), hashtext($1))";

// Small batches keep what is being folded in V8's young generation, which costs little to
// collect: measured on 1M events, 20,000-event batches spent 40 % more CPU, mostly in GC.
const DEFAULT_BATCH_SIZE = 2_000;
// About 0.5 KiB a row held: 250 MiB per model at most before rows are written out early.
const DEFAULT_CACHE_ROWS = 500_000;

export interface RebuildOptions {
  /** Events folded per batch: the unit of progress reports and of reading rows back. */
  batchSize?: number;
  /** Rows per model held in memory before they are written out (bounds memory). */
  cacheRows?: number;
  /** When rows that have settled are written while the log is still being read. */
  settledWrites?: SettledWrites;
  /** Turns old stored event versions into current ones, as the store's reads do. */
  upcasters?: UpcasterRegistry;
  /** The stored types `upcasters` has a step for (`<name>.v<fromVersion>`). */
  upcastTypes?: readonly string[];
  onProgress?: (progress: RebuildProgress) => void;
}

export interface ShadowBuild {
  /** The last position of the store folded into the shadow tables. */
  position: LogPosition;
  /** Events read (those of the rebuilt models' types). */
  events: number;
  /** Rows written to each shadow table. */
  rows: Partial<Record<ReadModel['name'], number>>;
  /** Reading the log and folding it, in milliseconds. */
  readMs: number;
  /** Writing the rows out and indexing them, in milliseconds. */
  writeMs: number;
}

export interface RebuildSummary extends ShadowBuild {
  /** Catching up with the head and swapping the tables in, under lock, in milliseconds. */
  swapMs: number;
}

/** In a fixed order, so that rebuilds and the live projector lock tables alike. */
const inModelOrder = (models: readonly ReadModel[]): ReadModel[] =>
  [...new Set(models)].sort(
    (a, b) => READ_MODEL_NAMES.indexOf(a.name) - READ_MODEL_NAMES.indexOf(b.name),
  );

/**
 * Every table of `ordered` models: their rows' tables in model order, then their summaries'.
 * The live projector locks them in that order too (it reads and locks each model's rows first,
 * and writes a summary only with the rows' upsert).
 */
const everyTable = (ordered: readonly ReadModel[]): ModelTables[] => [
  ...ordered,
  ...ordered.flatMap((model) => (model.summary ? [model.summary] : [])),
];

/**
 * Empties the shadow summaries of `ordered` and fills them from their shadow rows, once those are
 * complete: a rebuild's bulk writes pass no statement that keeps a summary (RowSummary).
 */
async function fillShadowSummaries(pool: Pool, ordered: readonly ReadModel[]): Promise<void> {
  for (const model of ordered) {
    const { summary, projection } = model;
    if (!summary || !projection.summary) continue;
    await pool.query(`TRUNCATE ${summary.shadowTable}`);
    await pool.query(projection.summary.fill(model.shadowTable, summary.shadowTable));
  }
}

/** How the log is read; `skip`: positions of the events the projector has quarantined. */
function readOptions(
  models: readonly ReadModel[],
  options: RebuildOptions,
  batchSize: number,
  skip: ReadonlySet<string>,
) {
  const upcastTypes = new Set(options.upcasters ? (options.upcastTypes ?? []) : []);
  const wanted = models.flatMap((model) => model.projection.eventTypes);
  return {
    storedTypes: [...new Set([...wanted, ...upcastTypes])],
    batchSize,
    upcasters: options.upcasters,
    upcastTypes,
    skip,
  };
}

/** Creates empty shadow tables of `ordered`; returns their secondary indexes, to build last. */
async function createShadowTables(
  pool: Pool,
  ordered: readonly ReadModel[],
): Promise<IndexDefinition[]> {
  const deferred: IndexDefinition[] = [];
  for (const tables of everyTable(ordered)) {
    for (const statement of shadowTableSql(tables).create) await pool.query(statement);
    deferred.push(...(await deferSecondaryIndexes(pool, tables.shadowTable)));
  }
  return deferred;
}

/** Reads the log after `after` in one read-only transaction on its own connection. */
async function* readLog(
  pool: Pool,
  after: LogPosition,
  read: ReturnType<typeof readOptions>,
): AsyncGenerator<{ events: LoggedEvent[]; last: LogPosition }> {
  const client: PoolClient = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    yield* copyLogAfter(client, after, read);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** What one pass over the log into fresh shadow tables leaves for the build to finish. */
interface LogPass {
  /** Secondary indexes of the shadow tables, built once they are filled. */
  deferred: IndexDefinition[];
  position: LogPosition;
  events: number;
  started: number;
}

/**
 * Creates fresh shadow tables of `ordered` (in model order) and hands `apply` the whole log,
 * batch by batch, in one read-only transaction, leaving out the events the projector has
 * quarantined (as live processing passed over them). Reports progress after each batch.
 */
async function passOverLog(
  pool: Pool,
  ordered: ReadModel[],
  options: RebuildOptions,
  apply: (events: LoggedEvent[]) => Promise<unknown>,
): Promise<LogPass> {
  const deferred = await createShadowTables(pool, ordered);
  const skip = await quarantinedEvents.pendingPositions(pool, 'projector');
  const { rows } = await pool.query<{ last: number }>(LAST_POSITION);
  const total = rows[0].last;
  const name = ordered.map((model) => model.name).join('+');
  const started = Date.now();
  let position = START_OF_LOG;
  let events = 0;
  const reading = readOptions(ordered, options, options.batchSize ?? DEFAULT_BATCH_SIZE, skip);
  for await (const batch of readLog(pool, START_OF_LOG, reading)) {
    await apply(batch.events);
    events += batch.events.length;
    position = batch.last;
    const done = Number(position.globalPosition);
    options.onProgress?.({
      model: name,
      done,
      total: Math.max(total, done),
      elapsedMs: Date.now() - started,
    });
  }
  return { deferred, position, events, started };
}

/**
 * Folds the whole event store into fresh shadow tables of `models`, in one pass over the log:
 * batch by batch in memory, rows written in bulk. The live tables are untouched.
 */
export async function buildShadowTables(
  pool: Pool,
  models: readonly ReadModel[],
  options: RebuildOptions = {},
): Promise<ShadowBuild> {
  const ordered = inModelOrder(models);
  const cacheRows = options.cacheRows ?? DEFAULT_CACHE_ROWS;
  const shadows = ordered.map(
    (model) => new ShadowRows(pool, model, cacheRows, options.settledWrites),
  );
  const { deferred, position, events, started } = await passOverLog(
    pool,
    ordered,
    options,
    async (batch) => {
      for (const shadow of shadows) await shadow.fold(batch);
    },
  );
  const read = Date.now();
  // Written side by side, then indexed side by side: PostgreSQL has the machine to itself now.
  await Promise.all(shadows.map((shadow) => shadow.flush()));
  await buildIndexes(pool, deferred);
  await fillShadowSummaries(pool, ordered);
  return {
    position,
    events,
    rows: Object.fromEntries(ordered.map((model, i) => [model.name, shadows[i].rowsWritten])),
    readMs: read - started,
    writeMs: Date.now() - read,
  };
}

/**
 * `buildShadowTables` for a log holding an event the read models cannot take that the projector
 * has not quarantined yet (the bulk fold stops on it): batch by batch through the live
 * projector's statements, each event that fails alone quarantined and passed over, as live
 * processing does. Slower, but it gives the rows live processing gives.
 */
export async function buildShadowTablesSkippingCulprits(
  pool: Pool,
  models: readonly ReadModel[],
  options: RebuildOptions = {},
): Promise<ShadowBuild> {
  const ordered = inModelOrder(models);
  const { deferred, position, events, started } = await passOverLog(
    pool,
    ordered,
    options,
    (batch) =>
      inTransaction(pool, (client) =>
        applySkippingCulprits(client, ordered, batch, (model) => model.shadowTable),
      ),
  );
  const read = Date.now();
  await buildIndexes(pool, deferred);
  await fillShadowSummaries(pool, ordered);
  const rows: ShadowBuild['rows'] = {};
  for (const model of ordered) {
    const counted = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${model.shadowTable}`,
    );
    rows[model.name] = counted.rows[0].n;
  }
  return { position, events, rows, readMs: read - started, writeMs: Date.now() - read };
}

/**
 * Brings the shadow tables up to the store's head and swaps them in, in one transaction: the
 * live tables are locked against writers first (queries keep reading them), so nothing the
 * live projector applied is missing from the shadows. The shadows may be ahead of the
 * projector's Kafka offsets; the stream-version guards make those events no-ops when they
 * arrive. Returns how many events were folded in all.
 */
export async function swapInShadowTables(
  pool: Pool,
  models: readonly ReadModel[],
  built: ShadowBuild,
  options: RebuildOptions = {},
): Promise<number> {
  const ordered = inModelOrder(models);
  return inTransaction(pool, async (client) => {
    for (const tables of everyTable(ordered)) await client.query(shadowTableSql(tables).lockLive);
    const tail: LoggedEvent[] = [];
    // Quarantined since the build began too: passed over in the tail as the projector did.
    const skip = await quarantinedEvents.pendingPositions(client, 'projector');
    const read = readOptions(ordered, options, options.batchSize ?? DEFAULT_BATCH_SIZE, skip);
    for await (const batch of copyLogAfter(client, built.position, read))
      tail.push(...batch.events);
    await applySkippingCulprits(client, ordered, tail, (model) => model.shadowTable);
    for (const tables of everyTable(ordered))
      for (const statement of shadowTableSql(tables).swap) await client.query(statement);
    return built.events + tail.length;
  });
}

/** Rebuilds `models` from the event store and swaps them in. */
export async function rebuildReadModels(
  pool: Pool,
  models: readonly ReadModel[],
  options: RebuildOptions = {},
): Promise<RebuildSummary> {
  const ordered = inModelOrder(models);
  const session = await pool.connect();
  const locked: ReadModel[] = [];
  try {
    for (const model of ordered) {
      const { rows } = await session.query<{ locked: boolean }>(TRY_LOCK, [model.table]);
      if (!rows[0].locked) throw new Error(`another rebuild of ${model.name} is running`);
      locked.push(model);
    }
    try {
      const built = await buildShadowTables(pool, ordered, options).catch(
        async (error: unknown) => {
          if (!worthIsolating(error)) throw error;
          // An event no rows can be written for, not quarantined yet: found the slow way.
          for (const tables of everyTable(ordered)) await pool.query(shadowTableSql(tables).drop);
          return buildShadowTablesSkippingCulprits(pool, ordered, options);
        },
      );
      const swapping = Date.now();
      const events = await swapInShadowTables(pool, ordered, built, options);
      return { ...built, events, swapMs: Date.now() - swapping };
    } catch (error) {
      for (const tables of everyTable(ordered))
        await pool.query(shadowTableSql(tables).drop).catch(() => undefined);
      throw error;
    }
  } finally {
    for (const model of locked) await session.query(UNLOCK, [model.table]).catch(() => undefined);
    session.release();
  }
}
