// Small counts are shown as "<N" (issue 24: no figure may single out a person). A figure
// computed from fewer referrals than the threshold (a median of three waits) is withheld too.

/** A count as shown: exact at or above the threshold, else `"<threshold"`. */
export type ShownCount = number | `<${number}`;

export const DEFAULT_SMALL_COUNT_THRESHOLD = 5;

export function shownCount(count: number, threshold: number): ShownCount {
  return count >= threshold ? count : `<${threshold}`;
}

/** Every count of a record of counts, shown. */
export function shownCounts(
  counts: Record<string, number>,
  threshold: number,
): Record<string, ShownCount> {
  return mappedValues(counts, (count) => shownCount(count, threshold));
}

/**
 * A record with each value mapped, keys kept, `__proto__` too (defined, not assigned). A loop
 * rather than Object.fromEntries, which costs several times more: a flows answer maps thousands.
 */
export function mappedValues<T, U>(
  record: Record<string, T>,
  map: (value: T) => U,
): Record<string, U> {
  const mapped: Record<string, U> = {};
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const value = map(record[key]);
    if (key === '__proto__')
      Object.defineProperty(mapped, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else mapped[key] = value;
  }
  return mapped;
}

/** A figure computed over `basis` referrals: withheld (null) when they are too few. */
export const shownFigure = (
  value: number | null,
  basis: number,
  threshold: number,
): number | null => (basis >= threshold ? value : null);
