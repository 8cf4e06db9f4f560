import { nextAttemptAt } from './retry-schedule';

const schedule = { retryWindowMs: 24 * 3600_000, retryBaseMs: 5000, retryMaxDelayMs: 3600_000 };
const queued = new Date('2026-12-05T10:00:00Z');

describe('webhook retry schedule', () => {
  it('doubles the ceiling of the delay with each attempt, up to the maximum', () => {
    const upper = (attempts: number) =>
      nextAttemptAt(schedule, attempts, queued, queued, () => 1)!.getTime() - queued.getTime();
    expect([1, 2, 3, 4].map(upper)).toEqual([5000, 10000, 20000, 40000]);
    expect(upper(30)).toBe(3600_000);
    expect(upper(1000)).toBe(3600_000);
  });

  it('spreads retries between a tenth of the ceiling and the ceiling (jitter)', () => {
    const delay = (r: number) =>
      nextAttemptAt(schedule, 3, queued, queued, () => r)!.getTime() - queued.getTime();
    expect(delay(0)).toBe(2000);
    expect(delay(0.5)).toBe(11000);
    const seen = new Set(Array.from({ length: 50 }, () => delay(Math.random())));
    expect(seen.size).toBeGreaterThan(10);
  });

  it('parks a delivery whose next retry would fall after the window', () => {
    const nearEnd = new Date(queued.getTime() + schedule.retryWindowMs - 1000);
    expect(nextAttemptAt(schedule, 20, queued, nearEnd, () => 0.5)).toBeUndefined();
    expect(nextAttemptAt({ ...schedule, retryWindowMs: 0 }, 1, queued, queued)).toBeUndefined();
    const early = new Date(queued.getTime() + 60_000);
    expect(nextAttemptAt(schedule, 2, queued, early)).toBeInstanceOf(Date);
  });
});
