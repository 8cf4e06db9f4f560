import type { AgencyFlow } from './cooperation-flows.queries';
import { monthsOf } from './month-range';
import { SECTOR_COUNTED, SectorCounted } from './shown-flows';
import { ShownCount, shownCount, shownCounts } from './small-counts';

type Counts = Record<SectorCounted, number>;
type ShownCounts = Record<SectorCounted, ShownCount>;

/**
 * The flows of a director's answer summed, for reports that read a whole range at once (the
 * directors' page draws its trend lines, flow diagram and reasons from these): summed exactly,
 * then small counts hidden, as the sector sums are.
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

const add = (sum: Counts, flow: AgencyFlow): void => {
  for (const name of SECTOR_COUNTED) sum[name] += flow[name];
};

const shown = (counts: Counts, threshold: number): ShownCounts =>
  Object.fromEntries(
    SECTOR_COUNTED.map((name) => [name, shownCount(counts[name], threshold)]),
  ) as ShownCounts;

export function shownTotals(
  flows: AgencyFlow[],
  range: { from: string; to: string },
  sectorOf: (agency: string) => string,
  threshold: number,
): ShownTotals {
  const byMonth = new Map(monthsOf(range).map((month) => [month, zero()]));
  const bySectorPair = new Map<string, { fromSector: string; toSector: string; sum: Counts }>();
  const reasons: Record<string, Record<string, number>> = {};
  for (const flow of flows) {
    const month = byMonth.get(flow.month);
    if (month) add(month, flow);
    const fromSector = sectorOf(flow.from);
    const toSector = sectorOf(flow.to);
    const key = `${fromSector}|${toSector}`;
    let pair = bySectorPair.get(key);
    if (!pair) bySectorPair.set(key, (pair = { fromSector, toSector, sum: zero() }));
    add(pair.sum, flow);
    for (const [status, codes] of Object.entries(flow.reasons)) {
      const sums = (reasons[status] ??= {});
      for (const [code, count] of Object.entries(codes)) sums[code] = (sums[code] ?? 0) + count;
    }
  }
  return {
    byMonth: [...byMonth].map(([month, sum]) => ({ month, ...shown(sum, threshold) })),
    bySectorPair: [...bySectorPair.values()].map(({ fromSector, toSector, sum }) => ({
      fromSector,
      toSector,
      ...shown(sum, threshold),
    })),
    reasons: Object.fromEntries(
      Object.entries(reasons).map(([status, codes]) => [status, shownCounts(codes, threshold)]),
    ),
  };
}
