import type { FlowTotals, TotalledCounts } from './cooperation-flows.queries';
import { monthsOf } from './month-range';
import { SECTOR_COUNTED, SectorCounted } from './shown-flows';
import { ShownCount, shownCount, shownCounts } from './small-counts';

type Counts = Record<SectorCounted, number>;
type ShownCounts = Record<SectorCounted, ShownCount>;

/**
 * A director's flows summed, for reports that read a whole range at once (the directors' page
 * draws its trend lines, flow diagram and reasons from these): summed exactly (in PostgreSQL,
 * then per pair of sectors here), then small counts hidden, as the sector sums are.
 */
export interface ShownTotals {
  /** Every month of the range, in order; a month without referrals counts 0 (shown hidden). */
  byMonth: ({ month: string } & ShownCounts)[];
  /** Per pair of sectors over the whole range. */
  bySectorPair: ({ fromSector: string; toSector: string } & ShownCounts)[];
  /** Per way of ending (rejected, redirected, failed, cancelled), per reason code, over the range. */
  reasons: Record<string, Record<string, ShownCount>>;
}

const zero = (): Counts => Object.fromEntries(SECTOR_COUNTED.map((name) => [name, 0])) as Counts;

const add = (sum: Counts, counts: TotalledCounts): void => {
  for (const name of SECTOR_COUNTED) sum[name] += counts[name];
};

const shown = (counts: Counts, threshold: number): ShownCounts =>
  Object.fromEntries(
    SECTOR_COUNTED.map((name) => [name, shownCount(counts[name], threshold)]),
  ) as ShownCounts;

export function shownTotals(
  totals: FlowTotals,
  range: { from: string; to: string },
  sectorOf: (agency: string) => string,
  threshold: number,
): ShownTotals {
  const byMonth = new Map(monthsOf(range).map((month) => [month, zero()]));
  for (const month of totals.byMonth) {
    const sum = byMonth.get(month.month);
    if (sum) add(sum, month);
  }
  const bySectorPair = new Map<string, { fromSector: string; toSector: string; sum: Counts }>();
  for (const pairSum of totals.byAgencyPair) {
    const fromSector = sectorOf(pairSum.from);
    const toSector = sectorOf(pairSum.to);
    const key = `${fromSector}|${toSector}`;
    let pair = bySectorPair.get(key);
    if (!pair) bySectorPair.set(key, (pair = { fromSector, toSector, sum: zero() }));
    add(pair.sum, pairSum);
  }
  return {
    byMonth: [...byMonth].map(([month, sum]) => ({ month, ...shown(sum, threshold) })),
    bySectorPair: [...bySectorPair.values()].map(({ fromSector, toSector, sum }) => ({
      fromSector,
      toSector,
      ...shown(sum, threshold),
    })),
    reasons: Object.fromEntries(
      Object.entries(totals.reasons).map(([status, codes]) => [
        status,
        shownCounts(codes, threshold),
      ]),
    ),
  };
}
