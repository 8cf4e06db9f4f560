import { Consumer, Kafka, logLevel, LogEntry, SASLOptions } from 'kafkajs';
import type { KafkaAuthConfig } from '@backbone/config';
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
 * The backbone's own SASL login (its super user), or none in PLAINTEXT mode. A new object on every
 * call: kafkajs attaches its authenticator, bound to the password, to the object it is given.
 */
export function backboneSasl(auth: KafkaAuthConfig | undefined): SASLOptions | undefined {
  if (auth?.mode !== 'sasl') return undefined;
  return { mechanism: auth.mechanism, username: auth.username, password: auth.password };
}

/** A kafkajs client of the backbone; logged in as the backbone when `auth` is SASL. */
export function createKafka(brokers: string[], clientId: string, auth?: KafkaAuthConfig): Kafka {
  return new Kafka({
    brokers,
    clientId,
    sasl: backboneSasl(auth),
    logLevel: logLevel.WARN,
    logCreator: () => pinoLogCreator(),
    retry: { initialRetryTime: 200, retries: 8 },
  });
}

/**
 * A consumer with the backbone's defaults: topics are never created by consuming, and idle
 * fetches return within half a second so that shutdown and rebalances stay quick.
 */
export function createConsumer(kafka: Kafka, groupId: string): Consumer {
  return kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 500 });
}
