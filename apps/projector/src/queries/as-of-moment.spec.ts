import { asOfMoment } from './as-of-moment';

describe('asOf', () => {
  const now = new Date('2026-12-05T10:00:00Z');

  it('is now when absent, the end of a named day (UTC), or the moment named', () => {
    expect(asOfMoment(undefined, now)).toBeUndefined();
    expect(asOfMoment('', now)).toBeUndefined();
    expect(asOfMoment('2026-06-30', now)?.toISOString()).toBe('2026-06-30T23:59:59.999Z');
    expect(asOfMoment('2026-06-30T12:00:00+02:00', now)?.toISOString()).toBe(
      '2026-06-30T10:00:00.000Z',
    );
  });

  it('refuses what names no real moment, and what lies ahead', () => {
    for (const asOf of [
      '2026-02-31',
      '2026-06-30T25:00:00Z',
      '2026-06-30T10:00:00+20:00',
      'now',
      '2026-12-06',
    ]) {
      expect(() => asOfMoment(asOf, now)).toThrow();
    }
  });
});
