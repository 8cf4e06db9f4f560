import { READ_MODEL_NAMES, ReadModelName } from '../referral-views/read-models';

/** The models named by `--model <name>` (repeatable), or every model when none is named. */
export function parseRebuildArgs(args: readonly string[]): ReadModelName[] {
  const models: ReadModelName[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = arg === '--model' ? args[++i] : arg.startsWith('--model=') ? arg.slice(8) : null;
    if (value === null) throw new Error(`unknown argument "${arg}"`);
    const name = READ_MODEL_NAMES.find((model) => model === value);
    if (!name)
      throw new Error(`--model must be one of: ${READ_MODEL_NAMES.join(', ')} (got "${value}")`);
    if (!models.includes(name)) models.push(name);
  }
  return models.length ? models : [...READ_MODEL_NAMES];
}
