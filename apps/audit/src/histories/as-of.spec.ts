import { ProblemException } from '@backbone/http';
import { asTheyStoodAt, parseAsOf } from './as-of';

const refusal = (raw: unknown): unknown => {
  try {
    parseAsOf(raw);
  } catch (error) {
    return error instanceof ProblemException ? error.problem : error;
  }
  return 'accepted';
};

const at = (streamId: string, recordedAt: string) => ({ streamId, recordedAt });

describe('asOf', () => {
  it('reads RFC 3339 with any offset, and nothing else', () => {
    expect(parseAsOf('2025-03-01T12:00:00+01:00')?.epochMs).toBe(
      Date.parse('2025-03-01T11:00:00Z'),
    );
    expect(parseAsOf(undefined)).toBeUndefined();
    expect(parseAsOf('')).toBeUndefined();
    for (const bad of [
      '2025-03-01',
      'yesterday',
      '2025-13-01T00:00:00Z',
      ['2025-03-01T12:00:00Z'],
    ]) {
      expect(refusal(bad)).toMatchObject({
        status: 400,
        detail: expect.stringMatching(/RFC 3339/),
      });
    }
  });

  it('keeps events up to the instant, inclusive', () => {
    const events = [at('r-1', '2025-01-01T10:00:00.000Z'), at('r-1', '2025-01-01T11:00:00.000Z')];
    expect(asTheyStoodAt(events, parseAsOf('2025-01-01T11:00:00.000Z'))).toEqual(events);
    expect(asTheyStoodAt(events, parseAsOf('2025-01-01T10:59:59.999Z'))).toEqual([events[0]]);
    expect(asTheyStoodAt(events, undefined)).toEqual(events);
  });

  it('cuts each stream to a prefix, even where a later event carries an earlier time', () => {
    const events = [
      at('r-1', '2025-01-01T10:00:00.000Z'),
      at('c-1', '2025-01-01T10:30:00.000Z'),
      at('r-1', '2025-01-01T12:00:00.000Z'),
      // Recorded by an instance whose clock was behind: still after the cut of its stream.
      at('r-1', '2025-01-01T10:59:00.000Z'),
      at('c-1', '2025-01-01T10:45:00.000Z'),
    ];
    expect(asTheyStoodAt(events, parseAsOf('2025-01-01T11:00:00Z'))).toEqual([
      events[0],
      events[1],
      events[4],
    ]);
  });
});
