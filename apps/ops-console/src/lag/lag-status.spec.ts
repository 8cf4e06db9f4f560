import { OffsetSample, lagSeconds, partitionStatus, worstStatus } from './lag-status';

/** Samples 5 s apart from (committed, end) pairs. */
const samples = (...pairs: [number, number][]): OffsetSample[] =>
  pairs.map(([committed, end], i) => ({ at: 1_000_000 + i * 5_000, committed, end }));

describe('consumer lag status (Burrow-style rules)', () => {
  it('is OK when the lag was zero anywhere in the window', () => {
    expect(partitionStatus(samples([10, 10], [10, 15], [12, 20]), 1)).toBe('OK');
  });

  it('is OK while a lagging consumer catches up', () => {
    expect(partitionStatus(samples([0, 20], [5, 20], [12, 22]), 1)).toBe('OK');
  });

  it('is WARN when the consumer moves but its lag grows or holds at every step', () => {
    expect(partitionStatus(samples([0, 10], [5, 16], [9, 20], [12, 24]), 1)).toBe('WARN');
  });

  it('is STALL when live members commit nothing new while lag stands', () => {
    expect(partitionStatus(samples([5, 10], [5, 12], [5, 12]), 2)).toBe('STALL');
  });

  it('is STOP when lag stands and the group has no live member', () => {
    expect(partitionStatus(samples([5, 10]), 0)).toBe('STOP');
  });

  it('is STOP when nothing was ever committed but records wait, OK when none do', () => {
    expect(partitionStatus(samples([-1, 3]), 1)).toBe('STOP');
    expect(partitionStatus(samples([-1, 0]), 0)).toBe('OK');
  });

  it('judges only the latest window of samples', () => {
    const old = samples(...Array.from({ length: 12 }, (_, i): [number, number] => [i, i + 5]));
    old[0] = { ...old[0], committed: 5, end: 5 };
    expect(partitionStatus(old, 1)).toBe('WARN');
  });

  it('reports the worst status of a group', () => {
    expect(worstStatus(['OK', 'STALL', 'WARN'])).toBe('STALL');
    expect(worstStatus([])).toBe('OK');
  });
});

describe('consumer lag in seconds', () => {
  it('is zero without lag', () => {
    expect(lagSeconds(samples([10, 10]), 2_000_000)).toEqual({ seconds: 0, atLeast: false });
  });

  it('interpolates when the waiting record was written, from the end offset history', () => {
    // The end moved from 10 to 20 between t=1,000,000 and t=1,005,000: record 10 (the first
    // one waiting) was written at about 1,000,500.
    const history = samples([10, 10], [10, 20], [10, 20]);
    expect(lagSeconds(history, 1_010_500)).toEqual({ seconds: 10, atLeast: false });
  });

  it('is a lower bound when the waiting record is older than the history', () => {
    expect(lagSeconds(samples([3, 10], [3, 12]), 1_020_000)).toEqual({
      seconds: 20,
      atLeast: true,
    });
  });
});
