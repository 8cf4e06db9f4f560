import { parseArgs } from 'node:util';

export interface StartArgs {
  /** Drop the development database and delete the backbone's topics first. */
  fresh: boolean;
  /** Seed a demo year (npm run demo:seed) while the backbone starts. */
  seed: boolean;
  /** A local three-broker Kafka cluster (KAFKA_BROKERS 127.0.0.1:9192-9194 unless set). */
  cluster: boolean;
}

/** `npm start [-- --fresh] [--seed] [--cluster]`; throws on anything else. */
export function parseStartArgs(args: string[]): StartArgs {
  const { values } = parseArgs({
    args,
    options: {
      fresh: { type: 'boolean' },
      seed: { type: 'boolean' },
      cluster: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    fresh: values.fresh ?? false,
    seed: values.seed ?? false,
    cluster: values.cluster ?? false,
  };
}
