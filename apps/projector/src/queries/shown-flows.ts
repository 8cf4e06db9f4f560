import { AgencyFlow, FlowCount, RedirectChains, Spread } from './cooperation-flows.queries';
import { HandoverCount, HandoverFlow } from './handover-flows.queries';
import { ShownCount, mappedValues, shownCount, shownCounts, shownFigure } from './small-counts';

export interface FlowParty {
  agency: string;
  /** The agency's sector as the directory says now; `unknown` for one no longer listed. */
  sector: string;
}

/** A month of one agency's referrals to another as a director sees it: small counts hidden. */
export type ShownFlow = { month: string; from: FlowParty; to: FlowParty } & Record<
  FlowCount,
  ShownCount
> & {
    reasons: Record<string, Record<string, ShownCount>>;
    outcomes: Record<string, ShownCount>;
    hoursToAcknowledge: Spread;
    hoursToDecide: Spread;
  };

/** A month of one sector's referrals to another, summed over their agencies, then hidden. */
export interface ShownSectorFlow {
  month: string;
  fromSector: string;
  toSector: string;
  made: ShownCount;
  accepted: ShownCount;
  rejected: ShownCount;
  redirected: ShownCount;
  completed: ShownCount;
  closedLoop: ShownCount;
}

export interface ShownRedirectChains {
  month: string;
  redirectedOnce: ShownCount;
  redirectedTwiceOrMore: ShownCount;
}

/** What sector sums and totals count. */
export const SECTOR_COUNTED = [
  'made',
  'accepted',
  'rejected',
  'redirected',
  'completed',
  'closedLoop',
] as const;

const shownSpread = (spread: Spread, basis: number, threshold: number): Spread => ({
  median: shownFigure(spread.median, basis, threshold),
  p90: shownFigure(spread.p90, basis, threshold),
});

// Field by field, in FLOW_COUNTS' order (as the CSV has them): the route shows thousands of
// flows per request, and spreading objects or building them from entries costs several times more.
export function shownFlow(
  flow: AgencyFlow,
  sectorOf: (agency: string) => string,
  threshold: number,
): ShownFlow {
  const shown = (count: number) => shownCount(count, threshold);
  const decided = flow.accepted + flow.rejected + flow.redirected;
  return {
    month: flow.month,
    from: { agency: flow.from, sector: sectorOf(flow.from) },
    to: { agency: flow.to, sector: sectorOf(flow.to) },
    made: shown(flow.made),
    acknowledged: shown(flow.acknowledged),
    accepted: shown(flow.accepted),
    rejected: shown(flow.rejected),
    redirected: shown(flow.redirected),
    cancelled: shown(flow.cancelled),
    completed: shown(flow.completed),
    failed: shown(flow.failed),
    decidedLate: shown(flow.decidedLate),
    undecidedOverdue: shown(flow.undecidedOverdue),
    closedLoop: shown(flow.closedLoop),
    reasons: mappedValues(flow.reasons, (codes) => shownCounts(codes, threshold)),
    outcomes: shownCounts(flow.outcomes, threshold),
    hoursToAcknowledge: shownSpread(flow.hoursToAcknowledge, flow.acknowledged, threshold),
    hoursToDecide: shownSpread(flow.hoursToDecide, decided, threshold),
  };
}

export type SectorCounted = (typeof SECTOR_COUNTED)[number];

interface SectorSum {
  month: string;
  fromSector: string;
  toSector: string;
  counts: Record<SectorCounted, number>;
}

/** Agency flows summed per month and pair of sectors (exact sums, hidden afterwards). */
export function shownSectorFlows(
  flows: AgencyFlow[],
  sectorOf: (agency: string) => string,
  threshold: number,
): ShownSectorFlow[] {
  const sums = new Map<string, SectorSum>();
  for (const flow of flows) {
    const fromSector = sectorOf(flow.from);
    const toSector = sectorOf(flow.to);
    const key = `${flow.month}|${fromSector}|${toSector}`;
    let sum = sums.get(key);
    if (!sum) {
      const counts = Object.fromEntries(SECTOR_COUNTED.map((name) => [name, 0]));
      sum = { month: flow.month, fromSector, toSector, counts: counts as SectorSum['counts'] };
      sums.set(key, sum);
    }
    for (const name of SECTOR_COUNTED) sum.counts[name] += flow[name];
  }
  return [...sums.values()].map(({ month, fromSector, toSector, counts }) => ({
    month,
    fromSector,
    toSector,
    ...(Object.fromEntries(
      SECTOR_COUNTED.map((name) => [name, shownCount(counts[name], threshold)]),
    ) as Record<SectorCounted, ShownCount>),
  }));
}

export const shownRedirectChains = (
  chains: RedirectChains[],
  threshold: number,
): ShownRedirectChains[] =>
  chains.map((month) => ({
    month: month.month,
    redirectedOnce: shownCount(month.redirectedOnce, threshold),
    redirectedTwiceOrMore: shownCount(month.redirectedTwiceOrMore, threshold),
  }));

/** A month of one agency's handovers to another as a director sees it: small counts hidden. */
export type ShownHandoverFlow = { month: string; from: FlowParty; to: FlowParty } & Record<
  HandoverCount,
  ShownCount
> & { daysToComplete: Spread };

export function shownHandoverFlow(
  flow: HandoverFlow,
  sectorOf: (agency: string) => string,
  threshold: number,
): ShownHandoverFlow {
  return {
    month: flow.month,
    from: { agency: flow.from, sector: sectorOf(flow.from) },
    to: { agency: flow.to, sector: sectorOf(flow.to) },
    proposed: shownCount(flow.proposed, threshold),
    accepted: shownCount(flow.accepted, threshold),
    declined: shownCount(flow.declined, threshold),
    cancelled: shownCount(flow.cancelled, threshold),
    completed: shownCount(flow.completed, threshold),
    daysToComplete: shownSpread(flow.daysToComplete, flow.completed, threshold),
  };
}
