import { performance } from 'node:perf_hooks';
import type { Pool, PoolClient } from 'pg';
import { Clock, SYSTEM_CLOCK } from '@backbone/config';
import { inTransaction } from '@backbone/database';
import { canonicalJson } from '../canonical-json';
import {
  EventIdConflictError,
  EventIdsAlreadyStoredError,
  WrongExpectedVersionError,
} from '../event-store.errors';
import type {
  AppendResult,
  ExpectedVersion,
  NewEvent,
  StreamAppendInput,
} from '../event-store.port';
import type { EventStoreMetrics } from '../metrics/event-store-metrics';
import { AppendAnnouncer } from './append-announcer';
import { appendFailure, appendsFailure } from './append-failure';
import { AppendRequest, prepareAppend } from './append-request';
import { EventRow, toStoredEvent } from './event-row';
import { APPEND_TO_STREAM, APPEND_TO_STREAMS, SELECT_EVENTS_BY_ID } from './event-store.sql';

export interface AppendOptions {
  /**
   * Append inside the caller's open transaction on this client: the events commit or roll back
   * with it. Followers see them only after that commit, however long it takes. Event ids
   * already stored throw EventIdsAlreadyStoredError here, retry or not (see `append`).
   */
  client?: PoolClient;
  /** One more write that must commit or roll back with the events (e.g. the command's outcome). */
  alsoInTransaction?: (client: PoolClient, result: AppendResult) => Promise<void>;
  /**
   * With `client`: leave waking the followers to the caller, who calls `announceAppends()` once
   * its transaction has committed. A NOTIFY inside the transaction (the default) makes such
   * transactions commit one at a time (see the append function's migration).
   */
  announcedByCaller?: boolean;
}

/**
 * The append path of the PostgreSQL store: checks and serialises the events, runs
 * append_to_stream() in one round trip, recognises retries by event id, counts what happened.
 */
export class PostgresAppender {
  private readonly announcer: AppendAnnouncer;

  constructor(
    private readonly pool: Pool,
    private readonly metrics?: EventStoreMetrics,
    announceIntervalMs?: number,
    /** Stamps each append's `recordedAt`. */
    private readonly clock: Clock = SYSTEM_CLOCK,
  ) {
    this.announcer = new AppendAnnouncer(pool, announceIntervalMs);
  }

  async append(
    streamId: string,
    expected: ExpectedVersion,
    events: NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const started = performance.now();
    const seconds = (): number => (performance.now() - started) / 1000;
    const request = prepareAppend(streamId, expected, events, this.recordedAt());
    try {
      const result = await this.appendOnce(request, options);
      this.metrics?.appended(events.length, seconds());
      return result;
    } catch (error) {
      // In the caller's transaction the failure has aborted it, and telling a retry from a
      // conflict would wait for a second connection of the pool while that transaction still
      // holds its locks: under load, for good. Its owner rolls back and decides.
      if (error instanceof EventIdsAlreadyStoredError && !options.client) {
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

  private recordedAt(): string {
    return this.clock.now().toISOString();
  }

  /**
   * One statement in autocommit unless there is a transaction to share. In the caller's own
   * transaction the NOTIFY goes with the events, as only PostgreSQL sees that commit;
   * otherwise followers are woken once the append has committed.
   */
  private async appendOnce(request: AppendRequest, options: AppendOptions): Promise<AppendResult> {
    const { client, alsoInTransaction } = options;
    if (client) {
      const result = await this.runAppend(client, request, !options.announcedByCaller);
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

  /**
   * Appends to several streams in one statement, in the order given, all or none. Lock order
   * is the caller's: sort the streams. Retries are not told from conflicts here: reused event
   * ids throw EventIdsAlreadyStoredError, and the caller appends stream by stream instead.
   */
  async appendMany(
    appends: StreamAppendInput[],
    options: Pick<AppendOptions, 'client' | 'announcedByCaller'> = {},
  ): Promise<AppendResult[]> {
    if (!appends.length) return [];
    const started = performance.now();
    const seconds = (): number => (performance.now() - started) / 1000;
    const recordedAt = this.recordedAt();
    const requests = appends.map(({ streamId, expected, events }) =>
      prepareAppend(streamId, expected, events, recordedAt),
    );
    const { client } = options;
    const notify = client !== undefined && !options.announcedByCaller;
    let rows: { stream_id: string; new_version: number; positions: string[] }[];
    try {
      ({ rows } = await (client ?? this.pool).query<(typeof rows)[number]>({
        ...APPEND_TO_STREAMS,
        values: [...manyStreamParameters(requests, recordedAt), notify],
      }));
    } catch (caught) {
      const error = appendsFailure(caught, requests);
      if (error instanceof WrongExpectedVersionError) {
        this.metrics?.conflicted('expected_version', seconds());
      } else {
        this.metrics?.failed(seconds());
      }
      throw error;
    }
    if (!client) this.announcer.announce();
    this.metrics?.appended(
      requests.reduce((sum, request) => sum + request.events.length, 0),
      seconds(),
    );
    return rows.map((row, i) => resultOf(requests[i], row));
  }

  /** Wakes the followers for appends that committed in a caller's transaction. */
  announce(): void {
    this.announcer.announce();
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
    return resultOf(request, row);
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
}

function resultOf(
  request: AppendRequest,
  row: { new_version: number; positions: string[] },
): AppendResult {
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

/** append_to_streams()'s parameters: one entry per stream, the events of all in flat arrays. */
function manyStreamParameters(requests: AppendRequest[], recordedAt: string): unknown[] {
  const perStream = (i: number) => requests.map((request) => request.values[i]);
  const perEvent = (i: number) => requests.flatMap((request) => request.values[i] as unknown[]);
  return [
    perStream(0), // stream ids
    perStream(1), // categories
    perStream(2), // expected versions
    perStream(8), // stream ids as JSON
    requests.map((request) => request.events.length),
    perEvent(3), // event ids
    perEvent(4), // types
    perEvent(5), // data
    perEvent(6), // metadata
    perEvent(7), // types as JSON
    recordedAt,
  ];
}
