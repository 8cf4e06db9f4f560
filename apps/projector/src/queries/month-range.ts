import { problem } from '@backbone/http';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
/** The longest range one request may ask for: three years of months. */
const MAX_MONTHS = 36;

const monthIndex = (month: string): number => {
  const [, year, number] = MONTH.exec(month) as RegExpExecArray;
  return Number(year) * 12 + Number(number) - 1;
};
const monthOf = (index: number): string =>
  `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

/**
 * The months an insights request asks for (`YYYY-MM`, both inclusive): by default the twelve
 * months up to and including the present one (UTC); a bad or reversed range is a 400.
 */
export function monthRange(
  from: string | undefined,
  to: string | undefined,
  now: Date,
): { from: string; to: string } {
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (value !== undefined && value !== '' && !MONTH.test(value))
      throw problem(400, 'Bad Request', `${name} must be a month as YYYY-MM`);
  }
  const last = to ? monthIndex(to) : now.getUTCFullYear() * 12 + now.getUTCMonth();
  const first = from ? monthIndex(from) : last - 11;
  if (first > last) throw problem(400, 'Bad Request', 'from must not come after to');
  if (last - first >= MAX_MONTHS)
    throw problem(400, 'Bad Request', `ask for at most ${MAX_MONTHS} months at a time`);
  return { from: monthOf(first), to: monthOf(last) };
}

/** Every month of a range, first to last. */
export function monthsOf(range: { from: string; to: string }): string[] {
  const months: string[] = [];
  for (let index = monthIndex(range.from); index <= monthIndex(range.to); index++)
    months.push(monthOf(index));
  return months;
}
