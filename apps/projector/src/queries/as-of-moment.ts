import { isRealTimestamp } from '@backbone/contracts';
import { problem } from '@backbone/http';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The moment `?asOf=` names, or undefined for now: a date means the end of that day (UTC), an
 * RFC 3339 date-time that moment. What does not exist (31 February), or lies ahead, is a 400.
 */
export function asOfMoment(asOf: string | undefined, now: Date): Date | undefined {
  if (asOf === undefined || asOf === '') return undefined;
  const timestamp = DATE.test(asOf) ? `${asOf}T23:59:59.999Z` : asOf;
  if (!isRealTimestamp(timestamp)) {
    throw problem(400, 'Bad Request', 'asOf must be a date (YYYY-MM-DD) or an RFC 3339 date-time');
  }
  const moment = new Date(timestamp);
  if (moment.getTime() > now.getTime()) {
    throw problem(400, 'Bad Request', 'asOf must not lie in the future');
  }
  return moment;
}
