import { READ_MODEL_NAMES, ReadModelName } from '../engine/read-models';

/** What the API serves from each model, accepted as its name too (`--model inbox`). */
const ALIASES: Readonly<Record<string, ReadModelName>> = {
  inbox: 'referral-views',
  outbox: 'referral-views',
  referrals: 'referral-views',
  cases: 'case-views',
};

/** The models named by `--model <name>` (repeatable), or every model when none is named. */
export function parseRebuildArgs(args: readonly string[]): ReadModelName[] {
  const models: ReadModelName[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = arg === '--model' ? args[++i] : arg.startsWith('--model=') ? arg.slice(8) : null;
    if (value === null) throw new Error(`unknown argument "${arg}"`);
    const name =
      READ_MODEL_NAMES.find((model) => model === value) ??
      (Object.hasOwn(ALIASES, value) ? ALIASES[value] : undefined);
    if (!name)
      throw new Error(
        `--model must be one of: ${[...READ_MODEL_NAMES, ...Object.keys(ALIASES)].join(', ')} (got "${value}")`,
      );
    if (!models.includes(name)) models.push(name);
  }
  return models.length ? models : [...READ_MODEL_NAMES];
}
