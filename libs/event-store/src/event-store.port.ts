// The port every event store adapter implements: append with an expected version, read a
// stream, follow the global log. Adapters: `postgres/postgres-event-store.ts`.

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
  eventId: string;
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
  /** Hex SHA-256 of the previous event's hash and this event's canonical bytes. */
  hash: string;
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

export interface EventStore {
  appendToStream(streamId: string, expected: ExpectedVersion, events: NewEvent[]): Promise<AppendResult>;
  readStream(streamId: string): Promise<StoredEvent[]>;
  /** Events committed after `after`, in an order that never skips a late commit. */
  readAllAfter(after: LogPosition, limit: number): Promise<StoredEvent[]>;
}
