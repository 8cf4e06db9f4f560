// Every setting the backbone reads from its environment, with the documented defaults.
export interface BackboneConfig {
  kafkaBrokers: string[];
  /** Prepended to every topic name; empty in production, unique per test run. */
  topicPrefix: string;
  topicPartitions: number;
  databaseUrl: string;
  httpHost: string;
  httpPort: number;
  /** Directory file; the bundled demo directory when unset. */
  directoryFile: string | undefined;
  /** Sector whose command topics this instance consumes; every sector when unset. */
  sector: string | undefined;
  logLevel: string;
  /** Key of the keyed hash that turns a person's identifier into a pseudonymous subject id. */
  subjectIdKey: string;
  /** How often the deadline watcher looks for missed deadlines. */
  deadlinePollMs: number;
  /** How often a directory file is checked for changes. */
  directoryReloadMs: number;
}

export const DEFAULTS = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/referral_backbone',
  HOST: '127.0.0.1',
  PORT: '3000',
  KAFKA_TOPIC_PREFIX: '',
  KAFKA_TOPIC_PARTITIONS: '3',
  LOG_LEVEL: 'info',
  SUBJECT_ID_KEY: 'development-only-subject-id-key',
  DEADLINE_POLL_MS: '5000',
  DIRECTORY_RELOAD_MS: '5000',
} as const;

function positiveInteger(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): BackboneConfig {
  const read = (name: keyof typeof DEFAULTS): string => env[name] ?? DEFAULTS[name];
  return {
    kafkaBrokers: read('KAFKA_BROKERS')
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
    topicPrefix: read('KAFKA_TOPIC_PREFIX'),
    topicPartitions: positiveInteger('KAFKA_TOPIC_PARTITIONS', read('KAFKA_TOPIC_PARTITIONS')),
    databaseUrl: read('DATABASE_URL'),
    httpHost: read('HOST'),
    httpPort: positiveInteger('PORT', read('PORT')),
    directoryFile: env.DIRECTORY_FILE || undefined,
    sector: env.SECTOR || undefined,
    logLevel: read('LOG_LEVEL'),
    subjectIdKey: read('SUBJECT_ID_KEY'),
    deadlinePollMs: positiveInteger('DEADLINE_POLL_MS', read('DEADLINE_POLL_MS')),
    directoryReloadMs: positiveInteger('DIRECTORY_RELOAD_MS', read('DIRECTORY_RELOAD_MS')),
  };
}
