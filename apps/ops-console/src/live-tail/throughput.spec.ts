import { ThroughputCounter } from './throughput';

describe('throughput counter', () => {
  it('counts events per second by type, and forgets what left the window', () => {
    let now = 1_000_000_000;
    const counter = new ThroughputCounter(() => now);
    counter.count('referral.made.v1');
    counter.count('referral.made.v1');
    now += 1_000;
    counter.count('referral.accepted.v1');
    now += 1_000;
    expect(counter.series(3)).toEqual({
      from: 1_000_000 - 1,
      seconds: 3,
      byType: { 'referral.made.v1': [0, 2, 0], 'referral.accepted.v1': [0, 0, 1] },
    });
    now += 700_000;
    counter.count('case.opened.v1');
    expect(Object.keys(counter.series(600).byType)).toEqual([]);
  });
});
