import { loadConfig } from './backbone-config';

const DAY_MS = 86_400_000;

describe('retention settings', () => {
  it('bounds every topic class and the dead letters’ copies by default', () => {
    expect(loadConfig({}).retention).toEqual({
      topicsMs: {
        commands: 3 * DAY_MS,
        outcomes: 7 * DAY_MS,
        inbox: 7 * DAY_MS,
        events: 7 * DAY_MS,
        deadLetter: 3 * DAY_MS,
      },
      segmentMs: DAY_MS,
      deadLetterCopiesMs: 14 * DAY_MS,
    });
  });

  it('takes each setting from its own variable', () => {
    const { retention } = loadConfig({
      KAFKA_RETENTION_COMMANDS_MS: '1000',
      KAFKA_RETENTION_OUTCOMES_MS: '2000',
      KAFKA_RETENTION_INBOX_MS: '3000',
      KAFKA_RETENTION_EVENTS_MS: '4000',
      KAFKA_RETENTION_DEAD_LETTER_MS: '5000',
      KAFKA_SEGMENT_MS: '600',
      DEAD_LETTER_COPY_RETENTION_MS: '7000',
    });
    expect(retention).toEqual({
      topicsMs: { commands: 1000, outcomes: 2000, inbox: 3000, events: 4000, deadLetter: 5000 },
      segmentMs: 600,
      deadLetterCopiesMs: 7000,
    });
  });

  it('takes -1 as "keep for ever" (production refuses it, see production-readiness)', () => {
    const { retention } = loadConfig({
      KAFKA_RETENTION_EVENTS_MS: '-1',
      DEAD_LETTER_COPY_RETENTION_MS: '-1',
    });
    expect(retention.topicsMs.events).toBe(-1);
    expect(retention.deadLetterCopiesMs).toBe(-1);
  });

  it.each([
    ['KAFKA_RETENTION_INBOX_MS', '0'],
    ['KAFKA_RETENTION_INBOX_MS', '-2'],
    ['KAFKA_RETENTION_COMMANDS_MS', '3d'],
    ['KAFKA_RETENTION_OUTCOMES_MS', '1.5'],
    ['KAFKA_RETENTION_DEAD_LETTER_MS', ' '],
    ['DEAD_LETTER_COPY_RETENTION_MS', '1e30'],
  ])('refuses %s=%p, naming the setting and what it takes', (name, raw) => {
    expect(() => loadConfig({ [name]: raw })).toThrow(
      `${name} must be a number of milliseconds (at least 1), or -1 to keep for ever, got "${raw}"`,
    );
  });

  it('refuses a segment roll that is not a positive number of milliseconds', () => {
    for (const raw of ['0', '-1', 'daily'])
      expect(() => loadConfig({ KAFKA_SEGMENT_MS: raw })).toThrow(
        `KAFKA_SEGMENT_MS must be a positive number of milliseconds, got "${raw}"`,
      );
  });
});
