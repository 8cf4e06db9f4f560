import { LogPosition, START_OF_LOG } from '@backbone/event-store';
import { problem } from '@backbone/http';

/** xid8 and bigint both fit in 20 decimal digits; anything longer is not a position. */
const POSITION_PART = /^(0|[1-9][0-9]{0,19})$/;
const MAX_XID8 = 2n ** 64n - 1n;
const MAX_BIGINT = 2n ** 63n - 1n;

/**
 * The opaque cursor of an inbox changes feed: where in the store's global log the last event
 * returned stands. Not secret (it only says where to read on in the agency's own feed), but
 * checked as the query will use it, so a forged one never reaches PostgreSQL's types.
 */
export const encodeChangesCursor = (position: LogPosition): string =>
  Buffer.from(`${position.transactionId}.${position.globalPosition}`).toString('base64url');

/** The position a cursor names; the start of the log without one; `400` for any other value. */
export function decodeChangesCursor(cursor: unknown): LogPosition {
  if (cursor === undefined || cursor === '') return START_OF_LOG;
  if (typeof cursor === 'string' && cursor.length <= 64) {
    const [transactionId, globalPosition, extra] = Buffer.from(cursor, 'base64url')
      .toString()
      .split('.');
    if (
      extra === undefined &&
      POSITION_PART.test(transactionId ?? '') &&
      POSITION_PART.test(globalPosition ?? '') &&
      BigInt(transactionId) <= MAX_XID8 &&
      BigInt(globalPosition) <= MAX_BIGINT
    ) {
      return { transactionId, globalPosition };
    }
  }
  throw problem(400, 'Bad Request', 'after is not a cursor this feed returned as next');
}
