import { formatVerificationProgress } from './progress-bar';

describe('the verification progress bar', () => {
  it('shows how far, how fast and how long to go', () => {
    expect(
      formatVerificationProgress({ events: 250_000, total: 1_000_000, elapsedMs: 5_000 }, 20),
    ).toBe(
      'verifying [#####...............] 250,000/1,000,000 events 25.0% 50,000 events/s ETA 15s',
    );
  });

  it('is full at the end, and for an empty store', () => {
    expect(formatVerificationProgress({ events: 0, total: 0, elapsedMs: 0 }, 4)).toBe(
      'verifying [####] 0/0 events 100.0% 0 events/s ETA 0s',
    );
  });
});
