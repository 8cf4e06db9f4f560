import { parseArgs } from 'node:util';
import { DEFAULT_REFERRALS } from './scenario/demo-year';

export interface SeedArgs {
  /** The scenario's seed: the same seed plans the same year. */
  seed: number;
  /** Referrals made by referrers over the year, on average. */
  referrals: number;
  /** The summary as JSON on stdout. */
  json: boolean;
}

const MAX_REFERRALS = 100_000;

function wholeNumber(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max)
    throw new Error(`--${name} must be a whole number from ${min} to ${max} (got "${text}")`);
  return value;
}

/** `[--seed N] [--referrals N] [--json]`; throws on anything else. */
export function parseSeedArgs(args: string[]): SeedArgs {
  const { values } = parseArgs({
    args,
    options: {
      seed: { type: 'string' },
      referrals: { type: 'string' },
      json: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    seed: values.seed === undefined ? 1 : wholeNumber('seed', values.seed, 0, 2 ** 31 - 1),
    referrals:
      values.referrals === undefined
        ? DEFAULT_REFERRALS
        : wholeNumber('referrals', values.referrals, 1, MAX_REFERRALS),
    json: values.json ?? false,
  };
}
