import { join } from 'node:path';
import { KafkaAuthConfig, KafkaTlsConfig, projectRoot } from '@backbone/config';
import { kafkaTlsOptions } from '@backbone/messaging';
import { LocalKafkaTls, localSaslFor } from '../kafka/broker-security';
import { startLocalKafka } from '../kafka/local-kafka-broker';
import { startLocalKafkaCluster } from '../kafka/local-kafka-cluster';
import { kafkaAnswers, waitForKafka } from '../kafka/wait-for-kafka';
import { composeUp, dockerEngineAnswers } from './docker-engine';

export interface KafkaHandle {
  how: 'reachable' | 'docker' | 'local-jars';
  startedInMs?: number;
  stop(): Promise<void>;
}

/**
 * Makes sure a Kafka broker answers at `brokers`: already running, else Docker Compose where a
 * Docker engine answers, else a local KRaft broker from the Maven jars, on the configured port,
 * keeping its data in `.data/kafka` between runs. With KAFKA_AUTH=sasl the broker must accept the
 * backbone's login; the one started here listens with SASL/SCRAM and enforces ACLs (data in
 * `.data/kafka-sasl`), and Docker Compose is skipped: its broker is PLAINTEXT only. With
 * KAFKA_TLS=on the broker must answer over TLS; a local one listens with the development
 * certificates of `localTls` (see local-tls.ts), which requires them.
 */
export async function ensureKafka(
  brokers: string[],
  log?: (line: string) => void,
  auth?: KafkaAuthConfig,
  tls?: { config: KafkaTlsConfig; local?: LocalKafkaTls },
): Promise<KafkaHandle> {
  const nothingToStop = async (): Promise<void> => undefined;
  const sasl = auth && localSaslFor(auth);
  const ssl = kafkaTlsOptions(tls?.config);
  if (await kafkaAnswers(brokers, 3_000, { sasl, ssl })) {
    return { how: 'reachable', stop: nothingToStop };
  }
  if ((sasl || ssl) && (await kafkaAnswers(brokers))) {
    throw new Error(
      `Kafka at ${brokers.join(',')} answers in PLAINTEXT: KAFKA_AUTH=${auth?.mode} and KAFKA_TLS=${ssl ? 'on' : 'off'} need a listener that logs clients in or speaks TLS`,
    );
  }
  if (ssl && !tls?.local) {
    throw new Error(
      `Kafka at ${brokers.join(',')} does not answer over TLS, and a local broker uses development certificates of its own: unset KAFKA_TLS_CA_FILE, KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE to start one`,
    );
  }
  if (!sasl && !ssl && (await dockerEngineAnswers())) {
    await composeUp(['kafka']);
    await waitForKafka(brokers, 90_000);
    return { how: 'docker', stop: nothingToStop };
  }
  const [host, port] = brokers[0].split(':');
  if (!['127.0.0.1', 'localhost'].includes(host)) {
    throw new Error(
      `Kafka at ${brokers[0]} does not answer, and a local broker can only listen on 127.0.0.1`,
    );
  }
  const broker = await startLocalKafka({
    port: Number(port),
    controllerPort: Number(port) + 1,
    dataDir: join(projectRoot(), '.data', sasl ? 'kafka-sasl' : 'kafka'),
    keepData: true,
    sasl,
    tls: tls?.local,
    log,
    ownProcessGroup: true,
  });
  return { how: 'local-jars', startedInMs: broker.startedInMs, stop: broker.stop };
}

/** Where `npm start -- --cluster` runs its three brokers unless KAFKA_BROKERS says otherwise. */
export const LOCAL_CLUSTER_BROKERS = '127.0.0.1:9192,127.0.0.1:9193,127.0.0.1:9194';

/**
 * Makes sure a Kafka cluster answers at `brokers`: already running, else three local KRaft nodes
 * from the Maven jars on those consecutive ports (controllers 100 ports above), keeping their
 * data in `.data/kafka-cluster`. PLAINTEXT only: the cluster is for trying replication and
 * broker loss, the single broker for trying SASL and TLS.
 */
export async function ensureKafkaCluster(
  brokers: string[],
  log?: (line: string) => void,
): Promise<KafkaHandle> {
  if (await kafkaAnswers(brokers, 3_000)) {
    return { how: 'reachable', stop: async () => undefined };
  }
  const ports = brokers.map((broker) => broker.split(':'));
  const consecutive = ports.every(
    ([host, port], i) => host === '127.0.0.1' && Number(port) === Number(ports[0][1]) + i,
  );
  if (!consecutive) {
    throw new Error(
      `Kafka at ${brokers.join(',')} does not answer, and a local cluster listens on consecutive ports of 127.0.0.1 (say ${LOCAL_CLUSTER_BROKERS})`,
    );
  }
  const cluster = await startLocalKafkaCluster({
    size: brokers.length,
    firstPort: Number(ports[0][1]),
    dataDir: join(projectRoot(), '.data', 'kafka-cluster'),
    keepData: true,
    log,
    ownProcessGroup: true,
  });
  return { how: 'local-jars', startedInMs: cluster.startedInMs, stop: () => cluster.stop() };
}
