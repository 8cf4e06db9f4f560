import { parseArgs } from 'node:util';

export interface StartArgs {
  /** Drop the development database and delete the backbone's topics first. */
  fresh: boolean;
  /** Seed a demo year (npm run demo:seed) while the backbone starts. */
  seed: boolean;
}

/** `npm start [-- --fresh] [--seed]`; throws on anything else. */
export function parseStartArgs(args: string[]): StartArgs {
  const { values } = parseArgs({
    args,
    options: { fresh: { type: 'boolean' }, seed: { type: 'boolean' } },
    strict: true,
    allowPositionals: false,
  });
  return { fresh: values.fresh ?? false, seed: values.seed ?? false };
}
