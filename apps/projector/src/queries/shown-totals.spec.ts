import { AgencyFlow, FlowTotals, TOTALLED, TotalledCounts } from './cooperation-flows.queries';
import { monthsOf } from './month-range';
import { shownTotals } from './shown-totals';

const flow = (
  month: string,
  from: string,
  to: string,
  counts: Partial<AgencyFlow>,
): AgencyFlow => ({
  month,
  from,
  to,
  made: 0,
  acknowledged: 0,
  accepted: 0,
  rejected: 0,
  redirected: 0,
  cancelled: 0,
  completed: 0,
  failed: 0,
  decidedLate: 0,
  undecidedOverdue: 0,
  closedLoop: 0,
  reasons: {},
  outcomes: {},
  hoursToAcknowledge: { median: null, p90: null },
  hoursToDecide: { median: null, p90: null },
  ...counts,
});
/** The flows summed per month and per pair of agencies, as the totals query sums them. */
function totalsOf(flows: AgencyFlow[]): FlowTotals {
  const sums = new Map<string, TotalledCounts>();
  const reasons: FlowTotals['reasons'] = {};
  for (const flow of flows) {
    for (const key of [`month|${flow.month}`, `pair|${flow.from}|${flow.to}`]) {
      const sum =
        sums.get(key) ?? (Object.fromEntries(TOTALLED.map((c) => [c, 0])) as TotalledCounts);
      for (const count of TOTALLED) sum[count] += flow[count];
      sums.set(key, sum);
    }
    for (const [status, codes] of Object.entries(flow.reasons))
      for (const [code, n] of Object.entries(codes))
        (reasons[status] ??= {})[code] = (reasons[status][code] ?? 0) + n;
  }
  const entries = [...sums].map(([key, counts]) => ({ key: key.split('|'), counts }));
  return {
    byMonth: entries
      .filter(({ key }) => key[0] === 'month')
      .map(({ key, counts }) => ({ month: key[1], ...counts })),
    byAgencyPair: entries
      .filter(({ key }) => key[0] === 'pair')
      .map(({ key, counts }) => ({ from: key[1], to: key[2], ...counts })),
    reasons,
  };
}
const SECTORS: Record<string, string> = {
  school: 'education',
  social: 'social-care',
  police: 'justice',
};
const sectorOf = (agency: string) => SECTORS[agency] ?? 'unknown';

describe('totals of a director’s flows', () => {
  const flows = [
    flow('2026-02', 'school', 'social', {
      made: 4,
      rejected: 3,
      closedLoop: 3,
      reasons: { rejected: { 'no-capacity': 3 } },
    }),
    flow('2026-02', 'police', 'social', {
      made: 3,
      rejected: 2,
      closedLoop: 2,
      reasons: { rejected: { 'no-capacity': 2 } },
    }),
    flow('2026-03', 'school', 'social', { made: 9, accepted: 6, completed: 5, closedLoop: 5 }),
  ];
  const totals = shownTotals(totalsOf(flows), { from: '2026-01', to: '2026-03' }, sectorOf, 5);

  it('sums every flow of a month exactly before hiding, and lists every month of the range', () => {
    expect(totals.byMonth).toEqual([
      {
        month: '2026-01',
        made: '<5',
        accepted: '<5',
        rejected: '<5',
        redirected: '<5',
        completed: '<5',
        closedLoop: '<5',
      },
      // 4 + 3 made and 3 + 2 rejected: shown, though no flow of the month was.
      expect.objectContaining({ month: '2026-02', made: 7, rejected: 5, closedLoop: 5 }),
      expect.objectContaining({ month: '2026-03', made: 9, accepted: 6, completed: 5 }),
    ]);
  });

  it('sums each pair of sectors over the whole range', () => {
    expect(totals.bySectorPair).toEqual([
      expect.objectContaining({
        fromSector: 'education',
        toSector: 'social-care',
        made: 13,
        accepted: 6,
        rejected: '<5',
      }),
      expect.objectContaining({ fromSector: 'justice', toSector: 'social-care', made: '<5' }),
    ]);
  });

  it('sums the reason codes over the range, then hides the small ones', () => {
    expect(totals.reasons).toEqual({ rejected: { 'no-capacity': 5 } });
    const small = shownTotals(
      totalsOf(flows.slice(0, 1)),
      { from: '2026-02', to: '2026-02' },
      sectorOf,
      5,
    );
    expect(small.reasons).toEqual({ rejected: { 'no-capacity': '<5' } });
  });

  it('never shows a number under the threshold', () => {
    const numbers = JSON.stringify(totals).match(/:(\d+)(?=[,}])/g) ?? [];
    for (const number of numbers) expect(Number(number.slice(1))).toBeGreaterThanOrEqual(5);
  });
});

describe('months of a range', () => {
  it('runs from the first to the last, across a year', () => {
    expect(monthsOf({ from: '2025-11', to: '2026-02' })).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
  });
});
