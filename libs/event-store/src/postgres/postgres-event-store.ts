import { performance } from 'node:perf_hooks';
import { Client, Pool, PoolClient } from 'pg';
import { inTransaction } from '@backbone/database';
import { canonicalJson } from '../canonical-json';
import {
  EventIdConflictError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '../event-store.errors';
import type {
  AppendResult,
  EventStore,
  ExpectedVersion,
  ListStreamsOptions,
  LogPosition,
  NewEvent,
  ReadAllOptions,
  ReadAllPage,
  ReadStreamOptions,
  StoredEvent,
  StreamMetadata,
  StreamPage,
  StreamVerification,
  SubscribeOptions,
} from '../event-store.port';
import { START_OF_LOG } from '../event-store.port';
import { positionOf } from '../follow-global-log';
import type { EventStoreMetrics } from '../metrics/event-store-metrics';
import { subscribeToLog } from '../subscriptions/subscribe-to-log';
import { UpcasterRegistry } from '../upcasting/upcaster-registry';
import { verifyChain } from '../verify-chain';
import { AppendAnnouncer } from './append-announcer';
import { EventIdsAlreadyStored, appendFailure } from './append-failure';
import { AppendRequest, prepareAppend } from './append-request';
import { EventRow, toStoredEvent } from './event-row';
import {
  APPEND_TO_STREAM,
  CLOSE_STREAM,
  LIST_STREAMS,
  SELECT_ALL_AFTER,
  SELECT_EVENTS_BY_ID,
  SELECT_STREAM_BACKWARDS,
  SELECT_STREAM_FOR_VERIFY,
  SELECT_STREAM_FORWARDS,
  SELECT_STREAM_METADATA,
} from './event-store.sql';
import { PostgresAppendNotifier } from './postgres-append-notifier';
import { StreamRow, toStreamMetadata } from './stream-row';

export { MAX_EVENT_BYTES, streamCategory } from './append-request';

const MAX_PAGE = 10_000;
const DEFAULT_LOG_PAGE = 1_000;
const DEFAULT_STREAM_PAGE = 100;
const LAST_VERSION = 2_147_483_647;

export interface AppendOptions {
  /**
   * Append inside the caller's open transaction on this client: the events commit or roll back
   * with it. Followers see them only after that commit, however long it takes.
   */
  client?: PoolClient;
  /** One more write that must commit or roll back with the events (e.g. the command's outcome). */
  alsoInTransaction?: (client: PoolClient, result: AppendResult) => Promise<void>;
}

export interface PostgresEventStoreOptions {
  metrics?: EventStoreMetrics;
  upcasters?: UpcasterRegistry;
  /** At most one wake-up NOTIFY per this many milliseconds (see append-announcer.ts). */
  announceIntervalMs?: number;
}

function checkLimit(limit: number | undefined, fallback: number | null): number | null {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE}, not ${limit}`);
  }
  return limit;
}

export class PostgresEventStore implements EventStore {
  private readonly notifier: PostgresAppendNotifier;
  private readonly announcer: AppendAnnouncer;
  private readonly upcasters: UpcasterRegistry;
  private readonly metrics?: EventStoreMetrics;

  constructor(
    private readonly pool: Pool,
    options: PostgresEventStoreOptions = {},
  ) {
    this.notifier = new PostgresAppendNotifier(() => new Client(pool.options));
    this.announcer = new AppendAnnouncer(pool, options.announceIntervalMs);
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.metrics = options.metrics;
  }

  async appendToStream(
    streamId: string,
    expected: ExpectedVersion,
    events: NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const started = performance.now();
    const seconds = (): number => (performance.now() - started) / 1000;
    const request = prepareAppend(streamId, expected, events);
    try {
      const result = await this.appendOnce(request, options);
      this.metrics?.appended(events.length, seconds());
      return result;
    } catch (error) {
      if (error instanceof EventIdsAlreadyStored) {
        try {
          const original = await this.originalAppend(request);
          this.metrics?.retried(seconds());
          return original;
        } catch (conflict) {
          if (conflict instanceof EventIdConflictError)
            this.metrics?.conflicted('event_id', seconds());
          throw conflict;
        }
      }
      if (error instanceof WrongExpectedVersionError) {
        this.metrics?.conflicted('expected_version', seconds());
      } else {
        this.metrics?.failed(seconds());
      }
      throw error;
    }
  }

  /**
   * One statement in autocommit unless there is a transaction to share. In the caller's own
   * transaction the NOTIFY goes with the events, as only PostgreSQL sees that commit;
   * otherwise followers are woken once the append has committed.
   */
  private async appendOnce(request: AppendRequest, options: AppendOptions): Promise<AppendResult> {
    const { client, alsoInTransaction } = options;
    if (client) {
      const result = await this.runAppend(client, request, true);
      await alsoInTransaction?.(client, result);
      return result;
    }
    const result = alsoInTransaction
      ? await inTransaction(this.pool, async (transaction) => {
          const appended = await this.runAppend(transaction, request, false);
          await alsoInTransaction(transaction, appended);
          return appended;
        })
      : await this.runAppend(this.pool, request, false);
    this.announcer.announce();
    return result;
  }

  private async runAppend(
    queryable: Pool | PoolClient,
    request: AppendRequest,
    notify: boolean,
  ): Promise<AppendResult> {
    let row: { new_version: number; positions: string[] };
    try {
      const { rows } = await queryable.query<typeof row>({
        ...APPEND_TO_STREAM,
        values: [...request.values, notify],
      });
      row = rows[0];
    } catch (error) {
      throw appendFailure(error, request);
    }
    const first = row.new_version - request.events.length + 1;
    const ids = request.values[3] as string[];
    return {
      streamId: request.streamId,
      streamVersion: row.new_version,
      events: ids.map((eventId, i) => ({
        eventId,
        streamVersion: first + i,
        globalPosition: row.positions[i],
      })),
    };
  }

  /** Appending already-stored events is a no-op when their content is identical. */
  private async originalAppend(request: AppendRequest): Promise<AppendResult> {
    const ids = request.values[3] as string[];
    const { rows } = await this.pool.query<EventRow>({ ...SELECT_EVENTS_BY_ID, values: [ids] });
    const stored = new Map(rows.map((row) => [row.event_id, toStoredEvent(row)]));
    const originals = ids.map((eventId, i) => {
      const original = stored.get(eventId);
      const same =
        original !== undefined &&
        original.streamId === request.streamId &&
        original.type === request.events[i].type &&
        canonicalJson(original.data) === request.data[i] &&
        canonicalJson(original.metadata) === request.metadata[i];
      if (!same) throw new EventIdConflictError(eventId);
      return original;
    });
    return {
      streamId: request.streamId,
      streamVersion: Math.max(...originals.map((e) => e.streamVersion)),
      events: originals.map(({ eventId, streamVersion, globalPosition }) => ({
        eventId,
        streamVersion,
        globalPosition,
      })),
    };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.from ?? (backwards ? LAST_VERSION : 1);
    if (!Number.isInteger(from) || from < 0) {
      throw new RangeError(`from must be a stream version (0 or more), not ${from}`);
    }
    const query = backwards ? SELECT_STREAM_BACKWARDS : SELECT_STREAM_FORWARDS;
    const values = [streamId, from, checkLimit(options.limit, null)];
    const { rows } = await this.pool.query<EventRow>({ ...query, values });
    return this.toEvents(rows);
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllPage> {
    const after = options.fromPosition ?? START_OF_LOG;
    const { eventTypes, streamPrefix } = options.filter ?? {};
    const { rows } = await this.pool.query<EventRow>({
      ...SELECT_ALL_AFTER,
      values: [
        after.transactionId,
        after.globalPosition,
        checkLimit(options.limit, DEFAULT_LOG_PAGE),
        eventTypes ?? null,
        streamPrefix ?? null,
      ],
    });
    const events = this.toEvents(rows);
    const last = events[events.length - 1];
    return { events, nextPosition: last ? positionOf(last) : after };
  }

  async readAllAfter(after: LogPosition, limit: number): Promise<StoredEvent[]> {
    return (await this.readAll({ fromPosition: after, limit })).events;
  }

  subscribeToAll(
    fromCheckpoint: LogPosition,
    options: SubscribeOptions = {},
  ): AsyncIterableIterator<StoredEvent> {
    const { filter, ...subscription } = options;
    return subscribeToLog(
      async (after, limit) => (await this.readAll({ fromPosition: after, limit, filter })).events,
      () => this.notifier.listen(),
      fromCheckpoint,
      subscription,
    );
  }

  async getStream(streamId: string): Promise<StreamMetadata | undefined> {
    const row = await this.streamRow(streamId);
    return row && toStreamMetadata(row);
  }

  async closeStream(streamId: string): Promise<void> {
    const { rowCount } = await this.pool.query({ ...CLOSE_STREAM, values: [streamId] });
    if (rowCount !== 1) throw new StreamNotFoundError(streamId);
  }

  async listStreams(category: string, options: ListStreamsOptions = {}): Promise<StreamPage> {
    const limit = checkLimit(options.limit, DEFAULT_STREAM_PAGE) as number;
    const { rows } = await this.pool.query<StreamRow>({
      ...LIST_STREAMS,
      values: [category, options.after ?? '', limit],
    });
    const streams = rows.map(toStreamMetadata);
    return rows.length === limit ? { streams, next: rows[rows.length - 1].stream_id } : { streams };
  }

  async verifyStream(streamId: string): Promise<StreamVerification> {
    // One snapshot for both reads, so that an append in between is not mistaken for tampering.
    return inTransaction(this.pool, async (client) => {
      await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const head = await this.streamRow(streamId, client);
      const { rows } = await client.query<EventRow>({
        ...SELECT_STREAM_FOR_VERIFY,
        values: [streamId],
      });
      return verifyChain(
        rows.map(toStoredEvent),
        head && { version: head.version, lastHash: head.last_hash },
      );
    });
  }

  private async streamRow(
    streamId: string,
    queryable: Pool | PoolClient = this.pool,
  ): Promise<StreamRow | undefined> {
    const { rows } = await queryable.query<StreamRow>({
      ...SELECT_STREAM_METADATA,
      values: [streamId],
    });
    return rows[0];
  }

  private toEvents(rows: EventRow[]): StoredEvent[] {
    const events = rows.map(toStoredEvent);
    return this.upcasters.isEmpty ? events : events.map((event) => this.upcasters.upcast(event));
  }
}
