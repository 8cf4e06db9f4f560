// KAFKA_TLS=on against real brokers of their own, with certificates made for the run by openssl and
// keytool: mutual TLS as the login (SSL, client certificates required, ACLs) and SCRAM over TLS
// (SASL_SSL). The backbone's own client, built from the settings as a service builds it, works;
// clients with a certificate from another CA, without one, or trusting another CA are refused.
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { Kafka, KafkaJSError, logLevel, Partitioners, SASLOptions } from 'kafkajs';
import { BackboneConfig, loadConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { uniqueSuffix } from '@backbone/testing/test-stack';
import { RunningKafka, startLocalKafka } from '../../../../infra/kafka/local-kafka-broker';
import {
  issueCertificate,
  makeBrokerStores,
  makeCertificateAuthority,
  PemPair,
} from '../../../../infra/kafka/tls-material';
import { backboneTopics } from '../backbone-topics';
import { createConsumer, createKafka } from '../kafka-client';
import { ensureTopics } from '../topic-admin';
import { agencyKafkaPassword } from './agency-password';
import { provisionAgencyAccess } from './provision-agency-access';

const A = 'randers-school';
const B = 'randers-social';

/** The broker's TLS alert to a client certificate it does not accept (or one missing). */
const BROKER_REFUSED_CERTIFICATE =
  /alert (certificate unknown|bad certificate|certificate required)/;
/** Node's verdict on a broker certificate that does not chain to the CA it trusts. */
const CLIENT_REFUSED_BROKER = /self-signed certificate in certificate chain/;

const pem = (file: string): string => readFileSync(file, 'utf8');
const mutualTlsOf = (ca: PemPair, client?: PemPair): ConnectionOptions => ({
  ca: pem(ca.certFile),
  cert: client && pem(client.certFile),
  key: client && pem(client.keyFile),
});

/** A kafkajs client of an outsider: no retries, so a refusal is the answer. */
const clientOf = (brokers: string[], ssl: ConnectionOptions | undefined, sasl?: SASLOptions) =>
  new Kafka({
    brokers,
    clientId: 'tls-test-client',
    ssl,
    sasl,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 5_000,
    retry: { retries: 0 },
  });

/** The error a promise rejects with; fails the test if it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected Kafka to refuse, but it allowed it');
}

/** Whether a client reaches the cluster at all: connects an admin client and describes it. */
async function describeCluster(kafka: Kafka): Promise<number> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    return (await admin.describeCluster()).brokers.length;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Sends one record to `topic` with the backbone's client and reads it back in a new group. */
async function roundTrip(kafka: Kafka, topic: string, group: string): Promise<string> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic, messages: [{ key: 'k', value: 'over TLS' }] });
  await producer.disconnect();
  const consumer = createConsumer(kafka, group);
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    return await new Promise<string>((resolve, reject) => {
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) reject(payload.error);
      });
      consumer
        .run({ eachMessage: async ({ message }) => resolve(String(message.value)) })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}

describe('Kafka over TLS', () => {
  let dir: string;
  let ca: PemPair;
  let backboneCert: PemPair;
  let agencyCert: PemPair;
  let strangerCa: PemPair;
  let strangerCert: PemPair;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kafka-tls-spec-'));
    ca = await makeCertificateAuthority(dir, 'ca');
    backboneCert = await issueCertificate(ca, dir, 'backbone', 'backbone');
    agencyCert = await issueCertificate(ca, dir, A, A);
    // Same name, another CA: what an impostor could make for themselves.
    strangerCa = await makeCertificateAuthority(join(dir, 'stranger'), 'ca');
    strangerCert = await issueCertificate(strangerCa, join(dir, 'stranger'), A, A);
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  describe('with client certificates as logins (KAFKA_TLS=on, KAFKA_AUTH=tls: SSL, mutual TLS)', () => {
    let broker: RunningKafka;
    let config: BackboneConfig;
    let topics: TopicNames;
    let backbone: Kafka;

    beforeAll(async () => {
      const stores = await makeBrokerStores(ca, join(dir, 'mutual'));
      broker = await startLocalKafka({
        tls: { stores, clientAuth: 'required', superUser: 'backbone' },
      });
      config = {
        ...loadConfig({
          KAFKA_AUTH: 'tls',
          KAFKA_TLS: 'on',
          KAFKA_TLS_CA_FILE: ca.certFile,
          KAFKA_TLS_CERT_FILE: backboneCert.certFile,
          KAFKA_TLS_KEY_FILE: backboneCert.keyFile,
        }),
        kafkaBrokers: broker.brokers,
        topicPrefix: `t${uniqueSuffix()}.`,
      };
      topics = new TopicNames(config.topicPrefix);
      backbone = createKafka(config.kafkaBrokers, 'tls-test', config.kafkaAuth, config.kafkaTls);
      await ensureTopics(
        backbone,
        backboneTopics(topics, [A, B], { ...config, topicPartitions: 1 }),
      );
      await provisionAgencyAccess(backbone, config, [A, B]);
    });

    afterAll(async () => {
      await broker?.stop();
    });

    it("carries the backbone's produce and consume, logged in by its certificate", async () => {
      expect(config.kafkaAuth.username).toBe('backbone');
      const group = `${config.topicPrefix}referral-backbone.tls-check`;
      expect(await roundTrip(backbone, topics.events, group)).toBe('over TLS');
    });

    it("logs an agency in as User:<CN>: its own command topic, never another's", async () => {
      const producer = clientOf(broker.brokers, mutualTlsOf(ca, agencyCert)).producer({
        allowAutoTopicCreation: false,
      });
      await producer.connect();
      try {
        const [sent] = await producer.send({
          topic: topics.commands(A),
          messages: [{ key: 'k', value: '{}' }],
        });
        expect(sent.errorCode).toBe(0);
        const refused = await rejectionOf(
          producer.send({ topic: topics.commands(B), messages: [{ key: 'k', value: '{}' }] }),
        );
        expect(refused.message).toMatch(/not authorized/i);
      } finally {
        await producer.disconnect();
      }
    });

    it("refuses a client whose certificate another CA signed, even with the agency's name", async () => {
      const impostor = clientOf(broker.brokers, mutualTlsOf(ca, strangerCert));
      const error = await rejectionOf(describeCluster(impostor));
      expect(error).toBeInstanceOf(KafkaJSError);
      expect(error.message).toMatch(BROKER_REFUSED_CERTIFICATE);
    });

    it('refuses a client that presents no certificate', async () => {
      const anonymous = clientOf(broker.brokers, mutualTlsOf(ca));
      const error = await rejectionOf(describeCluster(anonymous));
      expect(error).toBeInstanceOf(KafkaJSError);
      expect(error.message).toMatch(BROKER_REFUSED_CERTIFICATE);
    });

    it('is refused by a client that trusts another CA (the broker is checked too)', async () => {
      const wary = clientOf(broker.brokers, mutualTlsOf(strangerCa, strangerCert));
      const error = await rejectionOf(describeCluster(wary));
      expect(error).toBeInstanceOf(KafkaJSError);
      expect(error.message).toMatch(CLIENT_REFUSED_BROKER);
    });

    it('refuses a client that does not speak TLS', async () => {
      expect(
        await rejectionOf(describeCluster(clientOf(broker.brokers, undefined))),
      ).toBeInstanceOf(KafkaJSError);
    });
  });

  describe('with SCRAM over TLS (KAFKA_TLS=on, KAFKA_AUTH=sasl: SASL_SSL)', () => {
    let broker: RunningKafka;
    let config: BackboneConfig;
    let topics: TopicNames;

    beforeAll(async () => {
      const stores = await makeBrokerStores(ca, join(dir, 'sasl'));
      const password = `it-${uniqueSuffix()}`;
      broker = await startLocalKafka({
        sasl: { mechanism: 'scram-sha-256', username: 'backbone', password },
        tls: { stores, clientAuth: 'none' },
      });
      config = {
        ...loadConfig({
          KAFKA_AUTH: 'sasl',
          KAFKA_SASL_PASSWORD: password,
          KAFKA_AGENCY_PASSWORD_KEY: `key-${uniqueSuffix()}`,
          KAFKA_TLS: 'on',
          KAFKA_TLS_CA_FILE: ca.certFile,
        }),
        kafkaBrokers: broker.brokers,
        topicPrefix: `t${uniqueSuffix()}.`,
      };
      topics = new TopicNames(config.topicPrefix);
    });

    afterAll(async () => {
      await broker?.stop();
    });

    const agencyLogin = (): SASLOptions => ({
      mechanism: 'scram-sha-256',
      username: A,
      password: agencyKafkaPassword(config.kafkaAuth.agencyPasswordKey, A),
    });

    it("carries the backbone's client and its SCRAM user administration", async () => {
      const backbone = createKafka(
        config.kafkaBrokers,
        'tls-test',
        config.kafkaAuth,
        config.kafkaTls,
      );
      await ensureTopics(backbone, backboneTopics(topics, [A], { ...config, topicPartitions: 1 }));
      // Creates the agency's SCRAM user over the backbone's own TLS connection (kafka-wire).
      await provisionAgencyAccess(backbone, config, [A]);
      const group = `${config.topicPrefix}referral-backbone.tls-check`;
      expect(await roundTrip(backbone, topics.events, group)).toBe('over TLS');

      const producer = clientOf(broker.brokers, mutualTlsOf(ca), agencyLogin()).producer({
        allowAutoTopicCreation: false,
      });
      await producer.connect();
      const [sent] = await producer.send({
        topic: topics.commands(A),
        messages: [{ key: 'k', value: '{}' }],
      });
      await producer.disconnect();
      expect(sent.errorCode).toBe(0);
    });

    it('is refused by a client that trusts another CA, before the password is sent', async () => {
      const wary = clientOf(broker.brokers, mutualTlsOf(strangerCa), agencyLogin());
      const error = await rejectionOf(describeCluster(wary));
      expect(error).toBeInstanceOf(KafkaJSError);
      expect(error.message).toMatch(CLIENT_REFUSED_BROKER);
    });

    it('refuses a SCRAM login without TLS (SASL_PLAINTEXT)', async () => {
      const plain = clientOf(broker.brokers, undefined, agencyLogin());
      expect((await rejectionOf(describeCluster(plain))).message).toMatch(/Closed connection/);
    });
  });
});
