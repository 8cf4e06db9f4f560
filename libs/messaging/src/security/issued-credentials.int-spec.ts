// KAFKA_AGENCY_CREDENTIALS=issued against a real SASL broker: an agency gets Kafka access only
// with a password issued to it, loses it within seconds of a revocation (even on a connection
// that logged in before), and a new issue rotates the password.
import { Kafka, KafkaJSError, KafkaJSSASLAuthenticationError, logLevel, Producer } from 'kafkajs';
import type { BackboneConfig } from '@backbone/config';
import type { TopicNames } from '@backbone/contracts';
import type { Directory } from '@backbone/directory';
import { eventually } from '@backbone/testing/eventually';
import {
  demoDirectoryOf,
  SaslSecurityBed,
  startSaslSecurityBed,
} from '@backbone/testing/sasl-security-bed';
import type { RunningKafka } from '../../../../infra/kafka/local-kafka-broker';
import { AgencyAccessFollower } from './agency-access-follower';
import {
  agenciesWithCredential,
  issueAgencyCredential,
  IssuedCredentialsError,
  revokeAgencyCredential,
} from './agency-credentials';
import { agencyKafkaPassword } from './agency-password';
import { alterScramUsers } from './scram-user-admin';

const A = 'randers-school';
const B = 'randers-social';
/** How soon the issue wants a revoked agency refused on Kafka. */
const REVOCATION_BOUND_MS = 10_000;

describe('issued agency Kafka credentials (KAFKA_AGENCY_CREDENTIALS=issued)', () => {
  let bed: SaslSecurityBed;
  let broker: RunningKafka;
  let config: BackboneConfig;
  let topics: TopicNames;
  let backbone: Kafka;
  let directory: Directory;
  let follower: AgencyAccessFollower;
  const clients: Producer[] = [];

  const producerOf = async (agencyId: string, password: string): Promise<Producer> => {
    const producer = new Kafka({
      brokers: broker.brokers,
      clientId: `agency-${agencyId}`,
      logLevel: logLevel.NOTHING,
      retry: { retries: 2, initialRetryTime: 100 },
      sasl: { mechanism: 'scram-sha-256', username: agencyId, password },
    }).producer({ allowAutoTopicCreation: false });
    clients.push(producer);
    await producer.connect();
    return producer;
  };

  /** Whether the broker takes a record from `producer` on `agencyId`'s command topic now. */
  const produces = async (producer: Producer, agencyId: string): Promise<boolean> =>
    producer.send({ topic: topics.commands(agencyId), messages: [{ key: 'k', value: '{}' }] }).then(
      () => true,
      (error: KafkaJSError) => {
        if (/authoriz/i.test(`${error.message} ${String(error.cause ?? '')}`)) return false;
        throw error;
      },
    );

  const loginError = (agencyId: string, password: string): Promise<unknown> =>
    producerOf(agencyId, password).then(
      () => new Error('the login was accepted'),
      (error: unknown) => error,
    );

  /** Milliseconds until `producer` is refused, failing after the issue's bound. */
  const msUntilRefused = async (producer: Producer, agencyId: string): Promise<number> => {
    const start = Date.now();
    await eventually(
      async () => ((await produces(producer, agencyId)) ? undefined : true),
      `${agencyId} refused on Kafka`,
      REVOCATION_BOUND_MS,
    );
    return Date.now() - start;
  };

  beforeAll(async () => {
    bed = await startSaslSecurityBed({
      topicAgencies: [A, B],
      directoryAgencies: [A, B],
      agencyCredentials: 'issued',
      accessCheckMs: 500,
    });
    ({ broker, config, topics, backbone, directory, follower } = bed);
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.disconnect().catch(() => undefined)));
  });

  afterAll(() => bed?.stop());

  it('gives a directory agency no Kafka access before a credential is issued to it', async () => {
    expect(await agenciesWithCredential(config, [A, B])).toEqual(
      new Map([
        [A, false],
        [B, false],
      ]),
    );
    const derived = agencyKafkaPassword(config.kafkaAuth.agencyPasswordKey, A);
    expect(await loginError(A, derived)).toBeInstanceOf(KafkaJSSASLAuthenticationError);
  });

  it('lets the agency in with the password issued to it, and no one else with it', async () => {
    const { password } = await issueAgencyCredential(backbone, config, [A, B], A);
    expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await produces(await producerOf(A, password), A)).toBe(true);
    expect(await loginError(B, password)).toBeInstanceOf(KafkaJSSASLAuthenticationError);
    expect((await agenciesWithCredential(config, [A, B])).get(A)).toBe(true);
  });

  it('rotates on a new issue: the new password logs in, the old one no longer does', async () => {
    const first = await issueAgencyCredential(backbone, config, [A, B], A);
    const second = await issueAgencyCredential(backbone, config, [A, B], A);
    expect(second.password).not.toBe(first.password);
    expect(await loginError(A, first.password)).toBeInstanceOf(KafkaJSSASLAuthenticationError);
    expect(await produces(await producerOf(A, second.password), A)).toBe(true);
  });

  it('refuses a revoked agency at once, also on a connection that logged in before', async () => {
    const { password } = await issueAgencyCredential(backbone, config, [A, B], A);
    const connected = await producerOf(A, password);
    expect(await produces(connected, A)).toBe(true);

    await revokeAgencyCredential(backbone, config, [A, B], A);
    const ms = await msUntilRefused(connected, A);
    expect(await loginError(A, password)).toBeInstanceOf(KafkaJSSASLAuthenticationError);
    process.stdout.write(`revoked by the tool: refused after ${ms} ms\n`);
  });

  it('takes the ACLs of a credential deleted by any other means within KAFKA_ACCESS_CHECK_MS', async () => {
    const { password } = await issueAgencyCredential(backbone, config, [A, B], B);
    const connected = await producerOf(B, password);
    expect(await produces(connected, B)).toBe(true);

    // As an operator with Kafka's own kafka-configs tool would: the backbone is not told.
    const { username, password: backbonePassword, mechanism } = config.kafkaAuth;
    await alterScramUsers(
      { brokers: broker.brokers, mechanism, username, password: backbonePassword },
      { upsert: [], remove: [B] },
    );
    const ms = await msUntilRefused(connected, B);
    process.stdout.write(`deleted on the broker: refused after ${ms} ms\n`);
  });

  it('removes the credential and access of an agency taken out of the directory', async () => {
    const { password } = await issueAgencyCredential(backbone, config, [A, B], A);
    const connected = await producerOf(A, password);
    expect(await produces(connected, A)).toBe(true);

    directory.replace(demoDirectoryOf([B]));
    await follower.settled();
    expect(await produces(connected, A)).toBe(false);
    expect(await loginError(A, password)).toBeInstanceOf(KafkaJSSASLAuthenticationError);
    directory.replace(demoDirectoryOf([A, B]));
    await follower.settled();
  });

  it('issues only to agencies of the directory, and never as the backbone itself', async () => {
    await expect(issueAgencyCredential(backbone, config, [A, B], 'nobody')).rejects.toThrow(
      IssuedCredentialsError,
    );
    await expect(
      issueAgencyCredential(backbone, config, [A, B, 'backbone'], 'backbone'),
    ).rejects.toThrow(IssuedCredentialsError);
    const derived = { ...config, kafkaAuth: { ...config.kafkaAuth, agencyCredentials: 'derived' } };
    await expect(
      issueAgencyCredential(backbone, derived as BackboneConfig, [A, B], A),
    ).rejects.toThrow(/KAFKA_AGENCY_CREDENTIALS=issued/);
  });
});
