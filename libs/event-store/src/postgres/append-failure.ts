import {
  InvalidAppendError,
  StreamClosedError,
  WrongExpectedVersionError,
} from '../event-store.errors';
import type { AppendRequest } from './append-request';

/** Some of the events' ids are stored already: the append may be a retry of an earlier one. */
export class EventIdsAlreadyStored extends Error {
  constructor() {
    super('some of these event ids are already stored');
    this.name = 'EventIdsAlreadyStored';
  }
}

interface PgError {
  code?: string;
  detail?: string;
  constraint?: string;
  message: string;
}

const isPgError = (error: unknown): error is PgError =>
  error instanceof Error && typeof (error as PgError).code === 'string';

/**
 * What a failure of append_to_stream() means for the caller. Only errors of that one statement
 * come here, so a data exception (class 22) is the events' fault, not someone else's SQL.
 */
export function appendFailure(error: unknown, request: AppendRequest): Error {
  if (!isPgError(error)) return error instanceof Error ? error : new Error(String(error));
  switch (error.code) {
    case 'RB001':
      return new WrongExpectedVersionError(
        request.streamId,
        request.expected,
        Number(error.detail),
      );
    case 'RB002':
      return new EventIdsAlreadyStored();
    case 'RB003':
      return new StreamClosedError(request.streamId);
    case '23505':
      // Another transaction stored one of these ids between the check and the insert.
      if (error.constraint === 'events_event_id_unique') return new EventIdsAlreadyStored();
      return error as Error;
    default:
      if (error.code?.startsWith('22')) {
        return new InvalidAppendError(`PostgreSQL refused the events: ${error.message}`);
      }
      return error as Error;
  }
}
