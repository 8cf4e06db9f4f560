import { AgencyFlow, FLOW_COUNTS } from './cooperation-flows.queries';
import { flowsCsv } from './flows-csv';
import { monthRange } from './month-range';
import { HANDOVER_COUNTS } from './handover-flows.queries';
import { shownFlow, shownHandoverFlow, shownSectorFlows } from './shown-flows';
import { shownCount, shownCounts } from './small-counts';

const flow = (overrides: Partial<AgencyFlow> = {}): AgencyFlow => ({
  month: '2026-03',
  from: 'randers-school',
  to: 'randers-social',
  made: 12,
  acknowledged: 11,
  accepted: 7,
  rejected: 3,
  redirected: 1,
  cancelled: 0,
  completed: 5,
  failed: 0,
  decidedLate: 4,
  undecidedOverdue: 0,
  closedLoop: 9,
  reasons: { rejected: { 'no-capacity': 2, 'already-known': 1 } },
  outcomes: { 'service-provided': 5 },
  hoursToAcknowledge: { median: 3.5, p90: 20.1 },
  hoursToDecide: { median: 30, p90: 70.2 },
  ...overrides,
});
const SECTORS: Record<string, string> = {
  'randers-school': 'education',
  'randers-social': 'social-care',
  'east-jutland-police': 'justice',
};
const sectorOf = (agency: string) => SECTORS[agency] ?? 'unknown';

describe('small counts', () => {
  it('keeps every key of counts it shows, __proto__ too', () => {
    const counts = JSON.parse('{"__proto__": 7, "other": 1}') as Record<string, number>;
    const shown = shownCounts(counts, 5);
    expect(Object.keys(shown)).toEqual(['__proto__', 'other']);
    expect(JSON.stringify(shown)).toBe('{"__proto__":7,"other":"<5"}');
    expect(Object.getPrototypeOf(shown)).toBe(Object.prototype);
  });

  it('shows a count at or above the threshold, and "<threshold" below it (zero included)', () => {
    expect(shownCount(5, 5)).toBe(5);
    expect([0, 1, 4].map((n) => shownCount(n, 5))).toEqual(['<5', '<5', '<5']);
    expect(shownCount(2, 3)).toBe('<3');
  });
});

describe('a flow as a director sees it', () => {
  it('keeps its fields in the order reports show them: party, every count, codes, spreads', () => {
    expect(Object.keys(shownFlow(flow(), sectorOf, 5))).toEqual([
      'month',
      'from',
      'to',
      ...FLOW_COUNTS,
      'reasons',
      'outcomes',
      'hoursToAcknowledge',
      'hoursToDecide',
    ]);
  });

  it('hides every count under the threshold, codes included, and names the sectors', () => {
    const shown = shownFlow(flow(), sectorOf, 5);
    expect(shown).toMatchObject({
      from: { agency: 'randers-school', sector: 'education' },
      to: { agency: 'randers-social', sector: 'social-care' },
      made: 12,
      accepted: 7,
      rejected: '<5',
      redirected: '<5',
      cancelled: '<5',
      completed: 5,
      decidedLate: '<5',
      reasons: { rejected: { 'no-capacity': '<5', 'already-known': '<5' } },
      outcomes: { 'service-provided': 5 },
    });
    const numbers = JSON.stringify(shown).match(/:(\d+)(?=[,}])/g) ?? [];
    for (const number of numbers) expect(Number(number.slice(1))).toBeGreaterThanOrEqual(5);
  });

  it('withholds durations measured over fewer referrals than the threshold', () => {
    const shown = shownFlow(
      flow({ acknowledged: 4, accepted: 2, rejected: 1, redirected: 1 }),
      sectorOf,
      5,
    );
    expect(shown.hoursToAcknowledge).toEqual({ median: null, p90: null });
    expect(shown.hoursToDecide).toEqual({ median: null, p90: null });
    expect(shownFlow(flow(), sectorOf, 5).hoursToDecide).toEqual({ median: 30, p90: 70.2 });
  });

  it('sums agencies into sectors before hiding, so small agency counts can add up to a shown one', () => {
    const [sum] = shownSectorFlows(
      [
        flow({ made: 3, to: 'randers-social' }),
        flow({ made: 4, from: 'randers-school', to: 'randers-social' }),
      ],
      sectorOf,
      5,
    );
    expect(sum).toMatchObject({ fromSector: 'education', toSector: 'social-care', made: 7 });
  });
});

describe('a handover flow as a director sees it', () => {
  it('keeps its fields in the order reports show them, and hides small counts and their spread', () => {
    const shown = shownHandoverFlow(
      {
        month: '2026-03',
        from: 'randers-social',
        to: 'east-jutland-police',
        proposed: 9,
        accepted: 6,
        declined: 2,
        cancelled: 1,
        completed: 4,
        daysToComplete: { median: 3.5, p90: 9 },
      },
      sectorOf,
      5,
    );
    expect(Object.keys(shown)).toEqual([
      'month',
      'from',
      'to',
      ...HANDOVER_COUNTS,
      'daysToComplete',
    ]);
    expect(shown).toMatchObject({
      proposed: 9,
      accepted: 6,
      declined: '<5',
      cancelled: '<5',
      completed: '<5',
      daysToComplete: { median: null, p90: null },
    });
  });
});

describe('flows as CSV', () => {
  it('writes a header and a row per flow, hidden counts as shown, missing figures empty', () => {
    const csv = flowsCsv([shownFlow(flow({ acknowledged: 4 }), sectorOf, 5)]);
    const [header, row, end] = csv.split('\r\n');
    expect(header.split(',').slice(0, 6)).toEqual([
      'month',
      'from_agency',
      'from_sector',
      'to_agency',
      'to_sector',
      'made',
    ]);
    expect(
      row.startsWith('2026-03,randers-school,education,randers-social,social-care,12,<5,7,<5,'),
    ).toBe(true);
    expect(row.endsWith(',,,30,70.2')).toBe(true);
    expect(end).toBe('');
  });
});

describe('month range', () => {
  const now = new Date('2026-12-05T10:00:00Z');

  it('defaults to the twelve months up to the present one', () => {
    expect(monthRange(undefined, undefined, now)).toEqual({ from: '2026-01', to: '2026-12' });
    expect(monthRange('2025-11', undefined, now)).toEqual({ from: '2025-11', to: '2026-12' });
    expect(monthRange(undefined, '2026-03', now)).toEqual({ from: '2025-04', to: '2026-03' });
  });

  it('refuses what is no month, a reversed range and more than three years', () => {
    for (const [from, to] of [
      ['2026-13', undefined],
      ['26-01', undefined],
      ["2026-01' OR 1=1", undefined],
      ['2026-05', '2026-04'],
      ['2020-01', '2026-12'],
    ] as const) {
      expect(() => monthRange(from, to, now)).toThrow();
    }
  });
});
