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
  return Object.fromEntries(
    Object.entries(counts).map(([key, count]) => [key, shownCount(count, threshold)]),
  );
}

/** A figure computed over `basis` referrals: withheld (null) when they are too few. */
export const shownFigure = (
  value: number | null,
  basis: number,
  threshold: number,
): number | null => (basis >= threshold ? value : null);
