import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Consumer, Kafka, logLevel, LogEntry, SASLOptions } from 'kafkajs';
import type { KafkaAuthConfig, KafkaTlsConfig } from '@backbone/config';
import { rootLogger } from '@backbone/observability';

// kafkajs logs through pino. Two kinds of its lines are demoted to debug: per-request error
// responses it retries by itself (a failure that survives the retries reaches the caller as an
// exception, logged there), and its warning that an idempotent producer with bounded retries
// loses exactly-once: the backbone promises at-least-once publishing with idempotent consumers,
// and re-sends from its checkpoint when a send finally fails.
const DEMOTED = [/^Response /, /^Limiting retries for the idempotent producer/];

function pinoLogCreator() {
  const logger = rootLogger.child({ component: 'kafkajs' });
  return ({ level, log }: LogEntry): void => {
    const { message, ...extra } = log;
    if (DEMOTED.some((pattern) => pattern.test(message))) logger.debug(extra, message);
    else if (level === logLevel.ERROR) logger.error(extra, message);
    else if (level === logLevel.WARN) logger.warn(extra, message);
    else logger.debug(extra, message);
  };
}

/**
 * How old a client's view of partition leaders may grow before a send or fetch asks for a fresh
 * one. kafkajs asks at once after a refused connection, but a broker that hangs with its
 * connections open (a frozen host) only makes requests time out, which kafkajs retries against
 * the same leader until this age passes: five minutes by kafkajs's default, ten seconds here.
 */
export const LEADERS_MAX_AGE_MS = 10_000;

/**
 * The backbone's own SASL login (its super user), or none in PLAINTEXT mode. A new object on every
 * call: kafkajs attaches its authenticator, bound to the password, to the object it is given.
 */
export function backboneSasl(auth: KafkaAuthConfig | undefined): SASLOptions | undefined {
  if (auth?.mode !== 'sasl') return undefined;
  return { mechanism: auth.mechanism, username: auth.username, password: auth.password };
}

/**
 * The TLS options of a connection under KAFKA_TLS=on: the broker's certificate is verified (its
 * chain against KAFKA_TLS_CA_FILE or the system's CAs, its name against the broker's address),
 * and the client certificate is presented when one is set. The files are read on every call, so
 * a client made after certificates are renewed on disk uses the new ones.
 */
export function kafkaTlsOptions(tls: KafkaTlsConfig | undefined): ConnectionOptions | undefined {
  if (!tls?.enabled) return undefined;
  const read = (file: string | undefined): string | undefined =>
    file === undefined ? undefined : readFileSync(file, 'utf8');
  return {
    rejectUnauthorized: true,
    ca: read(tls.caFile),
    cert: read(tls.certFile),
    key: read(tls.keyFile),
    passphrase: tls.keyPassword,
  };
}

/**
 * A kafkajs client of the backbone: logged in as the backbone when `auth` is SASL, over TLS
 * (with the backbone's client certificate, if set) when `tls` is on.
 */
export function createKafka(
  brokers: string[],
  clientId: string,
  auth?: KafkaAuthConfig,
  tls?: KafkaTlsConfig,
): Kafka {
  return new Kafka({
    brokers,
    clientId,
    sasl: backboneSasl(auth),
    ssl: kafkaTlsOptions(tls),
    logLevel: logLevel.WARN,
    logCreator: () => pinoLogCreator(),
    retry: { initialRetryTime: 200, retries: 8 },
  });
}

/** How a consumer's fetches wait at the broker (kafkajs's options of the same names). */
export interface FetchPacing {
  /** The broker answers a fetch once it has this many bytes for it, or the wait is over. */
  minBytes?: number;
  maxWaitTimeInMs?: number;
}

/**
 * A consumer with the backbone's defaults: topics are never created by consuming, and idle
 * fetches return within half a second so that shutdown and rebalances stay quick. By default a
 * fetch returns as soon as there is one record: `pacing` lets a consumer that need not be prompt
 * take fewer, fuller fetches. kafkajs's fetch sizes (1 MiB a partition) are left as they are:
 * they bound how much a fetch brings, not how large a record may be (the broker returns a first
 * record batch larger than them whole, KIP-74), so records up to the topics' limits arrive.
 */
export function createConsumer(kafka: Kafka, groupId: string, pacing: FetchPacing = {}): Consumer {
  return kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 500,
    metadataMaxAge: LEADERS_MAX_AGE_MS,
    ...pacing,
  });
}
