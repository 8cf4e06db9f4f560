import type { ExpectedVersion } from './event-store.port';

/** The stream's version was not what the caller expected: someone else appended first. */
export class WrongExpectedVersionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`stream ${streamId} is at version ${actual}, expected ${String(expected)}`);
    this.name = 'WrongExpectedVersionError';
  }
}

/** An event id is already stored with different content: appending it again would forge history. */
export class EventIdConflictError extends Error {
  constructor(readonly eventId: string) {
    super(`event ${eventId} is already stored with different content`);
    this.name = 'EventIdConflictError';
  }
}

/**
 * Some of the events' ids are stored already: the append may be a retry of an earlier one.
 * A single-stream append tells a retry from a conflict itself; a many-stream append, or one
 * made in the caller's transaction, leaves that to the caller.
 */
export class EventIdsAlreadyStoredError extends Error {
  constructor() {
    super('some of these event ids are already stored');
    this.name = 'EventIdsAlreadyStoredError';
  }
}

/** The events cannot be stored as given (empty stream id, unserialisable or oversized data). */
export class InvalidAppendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAppendError';
  }
}

/** The stream was soft-closed: its history stays readable, but it takes no more events. */
export class StreamClosedError extends Error {
  constructor(readonly streamId: string) {
    super(`stream ${streamId} is closed and takes no more events`);
    this.name = 'StreamClosedError';
  }
}

/** A stream that does not exist was asked for where one is required (e.g. to close it). */
export class StreamNotFoundError extends Error {
  constructor(readonly streamId: string) {
    super(`stream ${streamId} does not exist`);
    this.name = 'StreamNotFoundError';
  }
}
