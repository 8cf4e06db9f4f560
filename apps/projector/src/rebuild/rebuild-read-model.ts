import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '@backbone/database';
import { EventStore, LogPosition, START_OF_LOG } from '@backbone/event-store';
import { toPublishedEvent } from '@backbone/publisher';
import type { ReadModel } from '../referral-views/read-models';
import { RebuildProgress } from './rebuild-progress';
import { shadowTableSql } from './shadow-table.sql';

const COUNT_EVENTS = 'SELECT count(*)::float8 AS total FROM events';
// One rebuild per model at a time, across processes; keyed by the model's table name.
const TRY_LOCK =
  "SELECT pg_try_advisory_lock(hashtext('projector-rebuild'), hashtext($1)) AS locked";
const UNLOCK = "SELECT pg_advisory_unlock(hashtext('projector-rebuild'), hashtext($1))";

export interface RebuildOptions {
  /** Events read from the store per page (and applied per transaction). */
  pageSize?: number;
  onProgress?: (progress: RebuildProgress) => void;
}

export interface ShadowBuild {
  /** The last position of the store applied to the shadow table. */
  position: LogPosition;
  events: number;
}

/**
 * Applies every event of the store after `from` to the model's shadow table, page by page,
 * with the same function live processing uses on the same CloudEvents the publisher sends.
 */
async function applyStoreToShadow(
  store: EventStore,
  model: ReadModel,
  from: LogPosition,
  pageSize: number,
  inPage: (work: (client: PoolClient) => Promise<void>) => Promise<void>,
  onPage: (events: number) => void = () => undefined,
): Promise<ShadowBuild> {
  let position = from;
  let events = 0;
  for (;;) {
    const page = await store.readAll({ fromPosition: position, limit: pageSize });
    if (!page.events.length) return { position, events };
    await inPage(async (client) => {
      for (const stored of page.events) {
        const event = toPublishedEvent(stored);
        if (model.handles(event.type)) await model.apply(client, event, 'shadow');
      }
    });
    position = page.nextPosition;
    events += page.events.length;
    onPage(events);
  }
}

/** Fills a fresh shadow table for `model` from the whole event store; the live table is untouched. */
export async function buildShadowTable(
  pool: Pool,
  store: EventStore,
  model: ReadModel,
  options: RebuildOptions = {},
): Promise<ShadowBuild> {
  const sql = shadowTableSql(model);
  for (const statement of sql.create) await pool.query(statement);
  const { rows } = await pool.query<{ total: number }>(COUNT_EVENTS);
  const started = Date.now();
  return applyStoreToShadow(
    store,
    model,
    START_OF_LOG,
    options.pageSize ?? 1_000,
    (work) => inTransaction(pool, work),
    (done) =>
      options.onProgress?.({
        model: model.name,
        done,
        total: Math.max(rows[0].total, done),
        elapsedMs: Date.now() - started,
      }),
  );
}

/**
 * Brings the shadow table up to the store's head and swaps it in, in one transaction: the live
 * table is locked against writers first (queries keep reading it), so nothing the live
 * projector applied is missing from the shadow. The shadow may be ahead of the projector's
 * Kafka offsets; the stream-version guards make those events no-ops when they arrive.
 */
export async function swapInShadowTable(
  pool: Pool,
  store: EventStore,
  model: ReadModel,
  built: ShadowBuild,
  pageSize = 1_000,
): Promise<number> {
  const sql = shadowTableSql(model);
  return inTransaction(pool, async (client) => {
    await client.query(sql.lockLive);
    const caughtUp = await applyStoreToShadow(store, model, built.position, pageSize, (work) =>
      work(client),
    );
    for (const statement of sql.swap) await client.query(statement);
    return built.events + caughtUp.events;
  });
}

/** Rebuilds `model` from the event store and swaps it in; returns how many events were read. */
export async function rebuildReadModel(
  pool: Pool,
  store: EventStore,
  model: ReadModel,
  options: RebuildOptions = {},
): Promise<number> {
  const session = await pool.connect();
  try {
    const { rows } = await session.query<{ locked: boolean }>(TRY_LOCK, [model.table]);
    if (!rows[0].locked) throw new Error(`another rebuild of ${model.name} is running`);
    try {
      const built = await buildShadowTable(pool, store, model, options);
      return await swapInShadowTable(pool, store, model, built, options.pageSize);
    } catch (error) {
      await pool.query(shadowTableSql(model).drop).catch(() => undefined);
      throw error;
    } finally {
      await session.query(UNLOCK, [model.table]);
    }
  } finally {
    session.release();
  }
}
