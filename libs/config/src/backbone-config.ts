// Every setting the backbone reads from its environment, with the documented defaults.
import { KafkaAuthConfig, loadKafkaAuthConfig } from './kafka-auth-config';
import { KafkaTlsConfig, loadKafkaTlsConfig } from './kafka-tls-config';
import { RetentionConfig, loadRetentionConfig } from './retention-config';
import { WebhookConfig, loadWebhookConfig } from './webhook-config';

export interface BackboneConfig {
  /**
   * `production` refuses to start on public development settings (see productionProblems in
   * libs/platform); `development` starts on them and says so. BACKBONE_ENV.
   */
  environment: BackboneEnvironment;
  kafkaBrokers: string[];
  /**
   * No login (`none`), SASL/SCRAM (`sasl`) or the TLS client certificate (`tls`), the last two
   * with per-agency ACLs: KAFKA_AUTH and friends.
   */
  kafkaAuth: KafkaAuthConfig;
  /** TLS on every Kafka connection (SSL, SASL_SSL) and its files: KAFKA_TLS and KAFKA_TLS_*. */
  kafkaTls: KafkaTlsConfig;
  /** Prepended to every topic name; empty in production, unique per test run. */
  topicPrefix: string;
  topicPartitions: number;
  /**
   * Copies of each backbone topic's partitions and how many must have a write before it counts
   * (KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS); each unset one follows the cluster's
   * size when topics are made (see resolveReplication in libs/messaging).
   */
  kafkaReplication: KafkaReplicationConfig;
  /**
   * How long each class of topic keeps records (KAFKA_RETENTION_*_MS, KAFKA_SEGMENT_MS), and the
   * ops console its dead letters' copies (DEAD_LETTER_COPY_RETENTION_MS).
   */
  retention: RetentionConfig;
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
  /** Counts below this are shown to directors as `"<n"`, never as a number (issue 24). */
  insightsMinCount: number;
  /** `<id>:<base64 key>`: wraps the data keys made from now on. */
  masterKey: string;
  /** Earlier master keys, still needed to unwrap the data keys they wrapped. */
  retiredMasterKeys: string[];
  /** Base64 Ed25519 private key (32-byte seed or PKCS#8 DER) that signs evidence bundles. */
  auditSigningKey: string;
  /**
   * Where the projector's Kafka consumer runs: in a worker thread with an event loop of its own
   * (`worker`), or on the service's main thread (`main`).
   */
  projectorThread: ProjectorThread;
  /** Webhook deliveries: retries, time limits, breaker, loopback allowance (WEBHOOK_*). */
  webhooks: WebhookConfig;
}

export interface KafkaReplicationConfig {
  factor?: number;
  minInsyncReplicas?: number;
}

export const BACKBONE_ENVIRONMENTS = ['development', 'production'] as const;
export type BackboneEnvironment = (typeof BACKBONE_ENVIRONMENTS)[number];

export const PROJECTOR_THREADS = ['worker', 'main'] as const;
export type ProjectorThread = (typeof PROJECTOR_THREADS)[number];

export const DEFAULTS = {
  BACKBONE_ENV: 'development',
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
  INSIGHTS_MIN_COUNT: '5',
  BACKBONE_MASTER_KEY: 'development:7CuoVsjcNny+TATzZVgZG3S0BSPep4kxd5Z41zmJHMw=',
  BACKBONE_RETIRED_MASTER_KEYS: '',
  AUDIT_SIGNING_KEY: '1hdloOaZMM34BtkJO2q3lSv7GcWhETbo2i7DGSBK0Uc=',
  PROJECTOR_THREAD: 'worker',
} as const;

/** Settings whose defaults are public: fine on a laptop, never in production. */
export const DEVELOPMENT_ONLY_SECRETS = [
  'SUBJECT_ID_KEY',
  'BACKBONE_MASTER_KEY',
  'AUDIT_SIGNING_KEY',
] as const;

function positiveInteger(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

/** An unset or empty setting is undefined; otherwise a whole number of at least 1. */
function optionalCount(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a whole number of at least 1, got "${raw}"`);
  }
  return value;
}

function oneOf<T extends string>(name: string, allowed: readonly T[], raw: string): T {
  if (!(allowed as readonly string[]).includes(raw))
    throw new Error(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): BackboneConfig {
  const read = (name: keyof typeof DEFAULTS): string => env[name] ?? DEFAULTS[name];
  const kafkaTls = loadKafkaTlsConfig(env);
  const environment = oneOf('BACKBONE_ENV', BACKBONE_ENVIRONMENTS, read('BACKBONE_ENV'));
  return {
    environment,
    kafkaBrokers: read('KAFKA_BROKERS')
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
    kafkaAuth: loadKafkaAuthConfig(env, kafkaTls),
    kafkaTls,
    topicPrefix: read('KAFKA_TOPIC_PREFIX'),
    topicPartitions: positiveInteger('KAFKA_TOPIC_PARTITIONS', read('KAFKA_TOPIC_PARTITIONS')),
    kafkaReplication: {
      factor: optionalCount('KAFKA_REPLICATION_FACTOR', env.KAFKA_REPLICATION_FACTOR),
      minInsyncReplicas: optionalCount('KAFKA_MIN_INSYNC_REPLICAS', env.KAFKA_MIN_INSYNC_REPLICAS),
    },
    retention: loadRetentionConfig(env),
    databaseUrl: read('DATABASE_URL'),
    httpHost: read('HOST'),
    httpPort: positiveInteger('PORT', read('PORT')),
    directoryFile: env.DIRECTORY_FILE || undefined,
    sector: env.SECTOR || undefined,
    logLevel: read('LOG_LEVEL'),
    subjectIdKey: read('SUBJECT_ID_KEY'),
    deadlinePollMs: positiveInteger('DEADLINE_POLL_MS', read('DEADLINE_POLL_MS')),
    directoryReloadMs: positiveInteger('DIRECTORY_RELOAD_MS', read('DIRECTORY_RELOAD_MS')),
    insightsMinCount: positiveInteger('INSIGHTS_MIN_COUNT', read('INSIGHTS_MIN_COUNT')),
    masterKey: read('BACKBONE_MASTER_KEY'),
    retiredMasterKeys: read('BACKBONE_RETIRED_MASTER_KEYS')
      .split(',')
      .map((spec) => spec.trim())
      .filter(Boolean),
    auditSigningKey: read('AUDIT_SIGNING_KEY'),
    projectorThread: oneOf('PROJECTOR_THREAD', PROJECTOR_THREADS, read('PROJECTOR_THREAD')),
    webhooks: loadWebhookConfig(env, environment === 'production'),
  };
}

/**
 * The settings of a deployed service (its `main`): production unless BACKBONE_ENV says
 * otherwise, so that a service started on its own never runs on public development settings by
 * accident. `npm start` (the development stack) and the tests use `loadConfig`.
 */
export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): BackboneConfig {
  return loadConfig({ ...env, BACKBONE_ENV: env.BACKBONE_ENV || 'production' });
}
