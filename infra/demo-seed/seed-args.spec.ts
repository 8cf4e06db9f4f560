import { parseSeedArgs } from './seed-args';
import { SeedClock } from './seed-clock';

describe('demo:seed arguments', () => {
  it('defaults to seed 1 and three thousand referrals', () => {
    expect(parseSeedArgs([])).toEqual({ seed: 1, referrals: 3_000, json: false });
  });

  it('takes a seed, a number of referrals and --json', () => {
    expect(parseSeedArgs(['--seed', '42', '--referrals=500', '--json'])).toEqual({
      seed: 42,
      referrals: 500,
      json: true,
    });
  });

  it.each([
    ['--seed', '-1'],
    ['--seed', '1.5'],
    ['--referrals', '0'],
    ['--referrals', 'many'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => parseSeedArgs([`${name}=${value}`])).toThrow(`${name} must be a whole number`);
  });

  it('refuses what it does not know', () => {
    expect(() => parseSeedArgs(['--year', '2025'])).toThrow();
  });
});

describe('the seed clock', () => {
  it('stands where it is put and never goes back', () => {
    const clock = new SeedClock(new Date('2026-01-01T00:00:00Z'));
    clock.moveTo(new Date('2026-03-01T10:00:00Z'));
    expect(clock.now().toISOString()).toBe('2026-03-01T10:00:00.000Z');
    clock.moveTo(new Date('2026-02-01T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2026-03-01T10:00:00.000Z');
  });
});
