import { Client, Pool, PoolClient } from 'pg';
import type { Clock } from '@backbone/config';
import { inTransaction } from '@backbone/database';
import { StreamNotFoundError } from '../event-store.errors';
import type {
  AppendResult,
  EventStore,
  ExpectedVersion,
  ListStreamsOptions,
  LogFilter,
  LogPosition,
  NewEvent,
  ReadAllOptions,
  ReadAllPage,
  ReadStreamOptions,
  StoredEvent,
  StreamAppendInput,
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
import { EventRow, toStoredEvent } from './event-row';
import {
  CLOSE_STREAM,
  LIST_STREAMS,
  SELECT_ALL_AFTER,
  SELECT_PARTY_AFTER,
  SELECT_UNREAD_AFTER,
  SELECT_STREAM_BACKWARDS,
  SELECT_STREAM_FOR_VERIFY,
  SELECT_STREAM_FORWARDS,
  SELECT_STREAMS,
  SELECT_STREAM_METADATA,
} from './event-store.sql';
import { AppendOptions, PostgresAppender } from './postgres-appender';
import { PostgresAppendNotifier } from './postgres-append-notifier';
import type { AppendListener } from '../subscriptions/append-wakeups';
import { StreamRow, toStreamMetadata } from './stream-row';

export { MAX_EVENT_BYTES, streamCategory } from './append-request';
export type { AppendOptions } from './postgres-appender';

const MAX_PAGE = 10_000;
const DEFAULT_LOG_PAGE = 1_000;
const DEFAULT_STREAM_PAGE = 100;
const LAST_VERSION = 2_147_483_647;

/** The port's options of a read of the log, and a transaction of the caller's to read it in. */
export interface PostgresReadAllOptions extends ReadAllOptions {
  /**
   * Read on this client, inside the caller's open transaction: code holding a connection of
   * the pool must not wait for a second one, which under load may never come.
   */
  client?: PoolClient;
}

export interface PostgresEventStoreOptions {
  metrics?: EventStoreMetrics;
  upcasters?: UpcasterRegistry;
  /** At most one wake-up NOTIFY per this many milliseconds (see append-announcer.ts). */
  announceIntervalMs?: number;
  /** The time appends are recorded at: the system clock unless given. */
  clock?: Clock;
}

function checkLimit(limit: number | undefined, fallback: number | null): number | null {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE}, not ${limit}`);
  }
  return limit;
}

export class PostgresEventStore implements EventStore {
  private readonly appender: PostgresAppender;
  private readonly notifier: PostgresAppendNotifier;
  private readonly upcasters: UpcasterRegistry;

  constructor(
    private readonly pool: Pool,
    options: PostgresEventStoreOptions = {},
  ) {
    this.appender = new PostgresAppender(
      pool,
      options.metrics,
      options.announceIntervalMs,
      options.clock,
    );
    this.notifier = new PostgresAppendNotifier(() => new Client(pool.options));
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
  }

  appendToStream(
    streamId: string,
    expected: ExpectedVersion,
    events: NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    return this.appender.append(streamId, expected, events, options);
  }

  /**
   * Appends to several streams in one round trip, all or none, in the order given (sort the
   * stream ids: that order is the lock order). Reused event ids are not recognised as retries
   * here: they throw EventIdsAlreadyStoredError.
   */
  appendToStreams(
    appends: StreamAppendInput[],
    options: Pick<AppendOptions, 'client' | 'announcedByCaller'> = {},
  ): Promise<AppendResult[]> {
    return this.appender.appendMany(appends, options);
  }

  /** For appends made with `announcedByCaller`, once the caller's transaction has committed. */
  announceAppends(): void {
    this.appender.announce();
  }

  /** Every event of each stream, in one query: a stream with no events maps to `[]`. */
  async readStreams(streamIds: string[]): Promise<Map<string, StoredEvent[]>> {
    const streams = new Map(streamIds.map((streamId) => [streamId, [] as StoredEvent[]]));
    const { rows } = await this.pool.query<EventRow>({ ...SELECT_STREAMS, values: [streamIds] });
    for (const event of this.toEvents(rows)) streams.get(event.streamId)?.push(event);
    return streams;
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

  async readAll(options: PostgresReadAllOptions = {}): Promise<ReadAllPage> {
    const after = options.fromPosition ?? START_OF_LOG;
    const { eventTypes, streamPrefix, party } = options.filter ?? {};
    const { rows } = await (options.client ?? this.pool).query<EventRow>({
      ...SELECT_ALL_AFTER,
      values: [
        after.transactionId,
        after.globalPosition,
        checkLimit(options.limit, DEFAULT_LOG_PAGE),
        eventTypes ?? null,
        streamPrefix ?? null,
        party ?? null,
      ],
    });
    const events = this.toEvents(rows);
    const last = events[events.length - 1];
    return { events, nextPosition: last ? positionOf(last) : after };
  }

  async readAllAfter(after: LogPosition, limit: number): Promise<StoredEvent[]> {
    return (await this.readAll({ fromPosition: after, limit })).events;
  }

  async readPartyAfter(
    party: string,
    after: LogPosition,
    limit: number,
    lookAtMost: number,
  ): Promise<ReadAllPage> {
    const { rows } = await this.pool.query<
      Partial<EventRow> & { looked_to_transaction: string; looked_to_position: string }
    >({
      ...SELECT_PARTY_AFTER,
      values: [
        after.transactionId,
        after.globalPosition,
        party,
        checkLimit(limit, null),
        checkLimit(lookAtMost, null),
      ],
    });
    if (!rows.length) return { events: [], nextPosition: after };
    const events = this.toEvents(
      rows.filter((row): row is typeof row & EventRow => row.event_id != null),
    );
    const lookedTo: LogPosition = {
      transactionId: rows[0].looked_to_transaction,
      globalPosition: rows[0].looked_to_position,
    };
    // A full page ends at its last event: events of the party may follow within the look.
    const nextPosition = events.length === limit ? positionOf(events[events.length - 1]) : lookedTo;
    return { events, nextPosition };
  }

  async hasUnreadAfter(after: LogPosition, filter: LogFilter = {}): Promise<boolean> {
    const { rows } = await this.pool.query<{ any: boolean }>({
      ...SELECT_UNREAD_AFTER,
      values: [
        after.transactionId,
        after.globalPosition,
        filter.eventTypes ?? null,
        filter.streamPrefix ?? null,
        filter.party ?? null,
      ],
    });
    return rows[0].any;
  }

  /** Wake-ups when appends commit (LISTEN), for followers of the log; close it when done. */
  listenForAppends(): Promise<AppendListener> {
    return this.notifier.listen();
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
      (after) => this.hasUnreadAfter(after, filter),
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
