import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '@backbone/database';
import { canonicalJson } from '../canonical-json';
import { EventIdConflictError, InvalidAppendError, WrongExpectedVersionError } from '../event-store.errors';
import type {
  AppendResult,
  EventStore,
  ExpectedVersion,
  LogPosition,
  NewEvent,
  StoredEvent,
} from '../event-store.port';
import { GENESIS_HASH, chainHash } from '../hash-chain';
import { EventRow, toStoredEvent } from './event-row';
import {
  ADVANCE_STREAM,
  INSERT_EVENTS,
  LOCK_STREAM,
  SELECT_ALL_AFTER,
  SELECT_EVENTS_BY_ID,
  SELECT_STREAM,
} from './event-store.sql';

export const MAX_EVENT_BYTES = 256 * 1024;

export interface AppendOptions {
  /** One more write that must commit or roll back with the events (e.g. the command's outcome). */
  alsoInTransaction?: (client: PoolClient, result: AppendResult) => Promise<void>;
}

/** Thrown inside the append transaction to roll it back when some event ids were stored before. */
class EventIdsAlreadyStored extends Error {}

/** The category of a stream is the part of its id before the first '-' (e.g. `referral-…`). */
export const streamCategory = (streamId: string): string => streamId.split('-', 1)[0];

function checkExpected(streamId: string, expected: ExpectedVersion, actual: number): void {
  const ok =
    expected === 'any' ||
    (expected === 'no-stream' && actual === 0) ||
    (expected === 'stream-exists' && actual > 0) ||
    expected === actual;
  if (!ok) throw new WrongExpectedVersionError(streamId, expected, actual);
}

function serialise(event: NewEvent): { data: string; metadata: string } {
  let data: string;
  let metadata: string;
  try {
    data = canonicalJson(event.data);
    metadata = canonicalJson(event.metadata);
  } catch (error) {
    throw new InvalidAppendError(`event ${event.eventId} is not JSON-serialisable: ${(error as Error).message}`);
  }
  if (Buffer.byteLength(data) + Buffer.byteLength(metadata) > MAX_EVENT_BYTES) {
    throw new InvalidAppendError(`event ${event.eventId} is larger than ${MAX_EVENT_BYTES} bytes`);
  }
  return { data, metadata };
}

export class PostgresEventStore implements EventStore {
  constructor(private readonly pool: Pool) {}

  async appendToStream(
    streamId: string,
    expected: ExpectedVersion,
    events: NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (!streamId.trim()) throw new InvalidAppendError('stream id must not be empty');
    if (events.length === 0) throw new InvalidAppendError('an append needs at least one event');
    const serialised = events.map(serialise);
    try {
      return await inTransaction(this.pool, (client) =>
        this.appendLocked(client, streamId, expected, events, serialised, options),
      );
    } catch (error) {
      if (error instanceof EventIdsAlreadyStored) return this.originalAppend(streamId, events);
      throw error;
    }
  }

  private async appendLocked(
    client: PoolClient,
    streamId: string,
    expected: ExpectedVersion,
    events: NewEvent[],
    serialised: { data: string; metadata: string }[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const now = new Date().toISOString();
    const locked = await client.query<{ version: number; last_hash: Buffer }>(LOCK_STREAM, [
      streamId,
      streamCategory(streamId),
      GENESIS_HASH,
      now,
    ]);
    const { version, last_hash: lastHash } = locked.rows[0];
    let previous = lastHash;
    const hashes = events.map((event, i) => {
      previous = chainHash(previous, { ...event, streamId, streamVersion: version + i + 1, recordedAt: now });
      return previous;
    });
    const inserted = await client.query<{ event_id: string; stream_version: number; global_position: string }>(
      INSERT_EVENTS,
      [
        events.map((e) => e.eventId),
        events.map(() => streamId),
        events.map((_, i) => version + i + 1),
        events.map((e) => e.type),
        serialised.map((s) => s.data),
        serialised.map((s) => s.metadata),
        events.map(() => now),
        hashes,
      ],
    );
    if (inserted.rowCount !== events.length) throw new EventIdsAlreadyStored();
    // Checked after the id check so that a retried append returns its original positions.
    checkExpected(streamId, expected, version);
    const result: AppendResult = {
      streamId,
      streamVersion: version + events.length,
      events: inserted.rows.map((row) => ({
        eventId: row.event_id,
        streamVersion: row.stream_version,
        globalPosition: String(row.global_position),
      })),
    };
    await client.query(ADVANCE_STREAM, [streamId, result.streamVersion, previous, now]);
    await options.alsoInTransaction?.(client, result);
    return result;
  }

  /** Appending already-stored events is a no-op when their content is identical. */
  private async originalAppend(streamId: string, events: NewEvent[]): Promise<AppendResult> {
    const { rows } = await this.pool.query<EventRow>(SELECT_EVENTS_BY_ID, [events.map((e) => e.eventId)]);
    const stored = new Map(rows.map((row) => [row.event_id, toStoredEvent(row)]));
    for (const event of events) {
      const original = stored.get(event.eventId);
      const same =
        original !== undefined &&
        original.streamId === streamId &&
        original.type === event.type &&
        canonicalJson(original.data) === canonicalJson(event.data) &&
        canonicalJson(original.metadata) === canonicalJson(event.metadata);
      if (!same) throw new EventIdConflictError(event.eventId);
    }
    const originals = events.map((event) => stored.get(event.eventId) as StoredEvent);
    return {
      streamId,
      streamVersion: Math.max(...originals.map((e) => e.streamVersion)),
      events: originals.map(({ eventId, streamVersion, globalPosition }) => ({ eventId, streamVersion, globalPosition })),
    };
  }

  async readStream(streamId: string): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<EventRow>(SELECT_STREAM, [streamId]);
    return rows.map(toStoredEvent);
  }

  async readAllAfter(after: LogPosition, limit: number): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<EventRow>(SELECT_ALL_AFTER, [
      after.transactionId,
      after.globalPosition,
      limit,
    ]);
    return rows.map(toStoredEvent);
  }
}
