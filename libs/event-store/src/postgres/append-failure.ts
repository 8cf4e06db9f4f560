import {
  EventIdsAlreadyStoredError,
  InvalidAppendError,
  StreamClosedError,
  WrongExpectedVersionError,
} from '../event-store.errors';
import type { AppendRequest } from './append-request';

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
  return appendsFailure(error, [request]);
}

/**
 * The same for append_to_streams(): the stream a version or closing error is about is the one
 * its message names (append_to_stream() puts the stream id in it).
 */
export function appendsFailure(error: unknown, requests: AppendRequest[]): Error {
  if (!isPgError(error)) return error instanceof Error ? error : new Error(String(error));
  const named = (): AppendRequest | undefined =>
    requests.length === 1
      ? requests[0]
      : requests.find(({ streamId }) => error.message.startsWith(`stream ${streamId} is `));
  switch (error.code) {
    case 'RB001': {
      const request = named();
      if (!request) return error as Error;
      return new WrongExpectedVersionError(
        request.streamId,
        request.expected,
        Number(error.detail),
      );
    }
    case 'RB002':
      return new EventIdsAlreadyStoredError();
    case 'RB003': {
      const request = named();
      return request ? new StreamClosedError(request.streamId) : (error as Error);
    }
    case '23505':
      // Another transaction stored one of these ids between the check and the insert.
      if (error.constraint === 'events_event_id_unique') return new EventIdsAlreadyStoredError();
      return error as Error;
    default:
      if (error.code?.startsWith('22')) {
        return new InvalidAppendError(`PostgreSQL refused the events: ${error.message}`);
      }
      return error as Error;
  }
}
