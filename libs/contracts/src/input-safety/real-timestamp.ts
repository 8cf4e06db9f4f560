// RFC 3339 timestamps that name a real moment PostgreSQL's `timestamptz` and JavaScript's Date
// both take: a calendar date that exists (no 31 February), seconds 0-59 (Date refuses a leap
// second), an offset within ±14:00 (the furthest any zone is from UTC), years 0001-9999 both
// as written and in UTC.
// class-validator's IsRFC3339 checks only the pattern, so "2099-02-31T00:00:00+20:00" passed.
import { ValidateBy, ValidationOptions, buildMessage } from 'class-validator';

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
const MAX_OFFSET_MINUTES = 14 * 60;
/** The instant, in UTC, stays within years 0001-9999 too: its ISO form then has four digits. */
const EARLIEST_MS = Date.parse('0001-01-01T00:00:00Z');
const LATEST_MS = Date.parse('9999-12-31T23:59:59.999Z');

const isLeapYear = (year: number): boolean =>
  (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

function daysIn(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isRealTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = TIMESTAMP.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const [, , , , , , , , sign, offsetHours, offsetMinutes] = match;
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  if (sign) {
    const hours = Number(offsetHours);
    const minutes = Number(offsetMinutes);
    if (minutes > 59 || hours * 60 + minutes > MAX_OFFSET_MINUTES) return false;
  }
  const instant = Date.parse(value);
  return instant >= EARLIEST_MS && instant <= LATEST_MS;
}

/** An RFC 3339 timestamp of a real moment (see above). */
export function IsRealTimestamp(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isRealTimestamp',
      validator: {
        validate: (value: unknown) => isRealTimestamp(value),
        defaultMessage: buildMessage(
          (each) =>
            `${each}$property must be an RFC 3339 timestamp of a real date and time, with seconds 0-59 and an offset within ±14:00`,
          options,
        ),
      },
    },
    options,
  );
}
