import { formatProgress } from './rebuild-progress';

describe('rebuild progress line', () => {
  it('shows events done of total, the rate and the time left', () => {
    const line = formatProgress({
      model: 'case-views',
      done: 2_000,
      total: 10_000,
      elapsedMs: 1_000,
    });
    expect(line).toBe(
      'case-views [#####...................] 2000/10000 events 20.0% 2000 events/s ETA 4s',
    );
  });

  it('stays sane at the start and when more events arrived than were counted', () => {
    expect(formatProgress({ model: 'm', done: 0, total: 0, elapsedMs: 0 })).toContain(
      '0/0 events 100.0% 0 events/s ETA 0s',
    );
    expect(formatProgress({ model: 'm', done: 150, total: 100, elapsedMs: 60_000 })).toContain(
      '100.0%',
    );
  });
});
