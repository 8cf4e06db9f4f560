// The port every event store adapter implements: append with an expected version, read a
// stream, read and follow the global log, stream metadata, hash-chain verification.
// Adapters: `postgres/postgres-event-store.ts`. Contract: `testing/event-store.contract.ts`.
import type { AppendListener } from './subscriptions/append-wakeups';

/** What the caller believes about the stream before appending. */
export type ExpectedVersion = number | 'no-stream' | 'stream-exists' | 'any';

export type EventData = Record<string, unknown>;

/** Who and what caused an event: copied into the envelope when it is published. */
export interface EventMetadata {
  causationId?: string;
  correlationId?: string;
  actor?: string;
  /** The agency (or operator, auditor) in whose name the event was recorded. */
  actingAgency?: string;
  [key: string]: unknown;
}

export interface NewEvent {
  /** A UUID chosen by the caller: appending the same id again is idempotent. */
  eventId: string;
  /** `<name>.v<version>`, e.g. `referral.made.v1`; upcasters turn old versions into current. */
  type: string;
  data: EventData;
  metadata: EventMetadata;
}

export interface StoredEvent extends NewEvent {
  streamId: string;
  streamVersion: number;
  /** Position in the global log; a decimal string because it is a 64-bit integer. */
  globalPosition: string;
  /** Id of the transaction that stored it (PostgreSQL xid8), as a decimal string. */
  transactionId: string;
  recordedAt: string;
  /** Hex SHA-256 of the previous event's hash and this event's canonical bytes as stored. */
  hash: string;
  /** The type as stored, when an upcaster turned it into the current `type` on read. */
  storedType?: string;
}

/** One stream's part of an append to several streams at once. */
export interface StreamAppendInput {
  streamId: string;
  expected: ExpectedVersion;
  events: NewEvent[];
}

export interface AppendResult {
  streamId: string;
  /** The stream's version after the append (its last event's version). */
  streamVersion: number;
  events: Pick<StoredEvent, 'eventId' | 'streamVersion' | 'globalPosition'>[];
}

/** A point in the global log that a follower has processed up to (inclusive). */
export interface LogPosition {
  transactionId: string;
  globalPosition: string;
}

export const START_OF_LOG: LogPosition = { transactionId: '0', globalPosition: '0' };

export type ReadDirection = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  /** First stream version to return (inclusive); defaults to the first or, backwards, the last. */
  from?: number;
  direction?: ReadDirection;
  limit?: number;
}

/** Narrows a read of the global log; events that do not match are passed over, not returned. */
export interface LogFilter {
  /** Only these event types (as stored). */
  eventTypes?: string[];
  /** Only streams whose id starts with this, e.g. `referral-`. */
  streamPrefix?: string;
  /** Only events whose metadata names this agency among its `parties` (its inbox's events). */
  party?: string;
}

export interface ReadAllOptions {
  /** The last position already seen (exclusive); the start of the log when omitted. */
  fromPosition?: LogPosition;
  limit?: number;
  filter?: LogFilter;
}

export interface ReadAllPage {
  events: StoredEvent[];
  /** Pass as `fromPosition` to read on: the last event's position, or `fromPosition` if none. */
  nextPosition: LogPosition;
}

export interface SubscribeOptions {
  /** Events read per query while catching up. */
  batchSize?: number;
  /** How long to wait for a notification before looking anyway (the fallback when none comes). */
  pollIntervalMs?: number;
  /** Ends the iteration (and releases its listener) when aborted. */
  signal?: AbortSignal;
  filter?: LogFilter;
}

export interface StreamMetadata {
  streamId: string;
  /** The part of the stream id before the first '-', e.g. `referral`. */
  category: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** A soft-closed stream keeps its history readable but takes no more events. */
  closed: boolean;
}

export interface ListStreamsOptions {
  /** The last stream id of the previous page (exclusive). */
  after?: string;
  limit?: number;
}

export interface StreamPage {
  streams: StreamMetadata[];
  /** Pass as `after` for the next page; absent on the last page. */
  next?: string;
}

export interface StreamVerification {
  valid: boolean;
  /** How many stored events were checked. */
  events: number;
  /** The first stream version whose event is altered, missing, inserted or out of place. */
  firstBrokenAt?: number;
  reason?: string;
}

export interface EventStore {
  appendToStream(
    streamId: string,
    expected: ExpectedVersion,
    events: NewEvent[],
  ): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /** A page of the global log in an order that never skips a late commit. */
  readAll(options?: ReadAllOptions): Promise<ReadAllPage>;
  /** Events committed after `after`, in an order that never skips a late commit. */
  readAllAfter(after: LogPosition, limit: number): Promise<StoredEvent[]>;
  /**
   * The events naming `party` among their parties after `after`, looking at no more than
   * `lookAtMost` events of the log: `nextPosition` passes the others' events looked at, so a
   * reader of a quiet party moves on through a busy log (and never skips a late commit).
   */
  readPartyAfter(
    party: string,
    after: LogPosition,
    limit: number,
    lookAtMost: number,
  ): Promise<ReadAllPage>;
  /**
   * Whether events after `after` (of `filter`) are still to be read: asked when a read came back
   * short. Some may be held back until an older transaction still open ends, or have become safe
   * since the read, that transaction having ended meanwhile. Its end announces nothing, so a
   * follower must look again by itself.
   */
  hasUnreadAfter(after: LogPosition, filter?: LogFilter): Promise<boolean>;
  /**
   * Every event after `fromCheckpoint`: the stored ones first, then new ones as they commit.
   * Reads the next batch only when the consumer asks for more.
   */
  subscribeToAll(
    fromCheckpoint: LogPosition,
    options?: SubscribeOptions,
  ): AsyncIterableIterator<StoredEvent>;
  /**
   * Wake-ups when appends commit, for a follower of the log that reads in batches of its own
   * (followGlobalLog) rather than through subscribeToAll; close it when done. Part of the port
   * because only the store knows when its appends commit: subscribeToAll rests on the same
   * wake-ups, and without them a follower could only poll.
   */
  listenForAppends(): Promise<AppendListener>;
  getStream(streamId: string): Promise<StreamMetadata | undefined>;
  /** Soft-closes a stream: later appends fail with StreamClosedError; reads go on working. */
  closeStream(streamId: string): Promise<void>;
  listStreams(category: string, options?: ListStreamsOptions): Promise<StreamPage>;
  /** Recomputes the stream's hash chain from what is stored. */
  verifyStream(streamId: string): Promise<StreamVerification>;
}
