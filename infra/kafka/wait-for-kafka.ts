import type { ConnectionOptions } from 'node:tls';
import { Kafka, logLevel, SASLOptions } from 'kafkajs';
import type { LocalKafkaSasl } from './broker-security';

/** How a probe connects: with a SCRAM login, over TLS, both or neither. */
export interface KafkaProbeLogin {
  sasl?: LocalKafkaSasl;
  ssl?: ConnectionOptions;
}

/**
 * True once a kafkajs admin client can describe the cluster (a TCP connect is not enough),
 * connected as `login` says.
 */
export async function kafkaAnswers(
  brokers: string[],
  timeoutMs = 3_000,
  { sasl, ssl }: KafkaProbeLogin = {},
): Promise<boolean> {
  // A fresh object per client: kafkajs binds its authenticator to the object it is given.
  const login: SASLOptions | undefined = sasl && {
    mechanism: sasl.mechanism,
    username: sasl.username,
    password: sasl.password,
  };
  const admin = new Kafka({
    brokers,
    clientId: 'backbone-probe',
    sasl: login,
    ssl,
    logLevel: logLevel.NOTHING,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export async function waitForKafka(
  brokers: string[],
  timeoutMs: number,
  login: KafkaProbeLogin = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await kafkaAnswers(brokers, 2_000, login)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Kafka at ${brokers.join(',')} did not answer within ${timeoutMs} ms`);
}
