import { lagBetween } from './projection-lag';

describe('projection lag from histogram scrapes', () => {
  it('interpolates percentiles of the observations made between two scrapes', () => {
    const before = new Map([
      [0.01, 10],
      [0.1, 10],
      [Infinity, 10],
    ]);
    // 100 new observations: 50 up to 10 ms, 49 more up to 100 ms, 1 beyond.
    const after = new Map([
      [0.01, 60],
      [0.1, 109],
      [Infinity, 110],
    ]);
    const lag = lagBetween(before, after);
    expect(lag.events).toBe(100);
    expect(lag.p50).toBeCloseTo(10);
    expect(lag.p99).toBeCloseTo(100);
  });

  it('has no percentiles without observations', () => {
    expect(lagBetween(new Map(), new Map([[Infinity, 0]])).p99).toBeNaN();
  });
});
