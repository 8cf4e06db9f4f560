import { Kafka, logLevel, SASLOptions } from 'kafkajs';
import type { LocalKafkaSasl } from './broker-security';

/**
 * True once a kafkajs admin client can describe the cluster (a TCP connect is not enough),
 * logged in with `sasl` when given.
 */
export async function kafkaAnswers(
  brokers: string[],
  timeoutMs = 3_000,
  sasl?: LocalKafkaSasl,
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
  sasl?: LocalKafkaSasl,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await kafkaAnswers(brokers, 2_000, sasl)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Kafka at ${brokers.join(',')} did not answer within ${timeoutMs} ms`);
}
