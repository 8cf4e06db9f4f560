// KAFKA_AUTH=sasl against a real broker of its own (SASL_PLAINTEXT, SCRAM, StandardAuthorizer):
// agencies logged in with their own principals reach their own topics and nothing else.
import {
  Consumer,
  Kafka,
  KafkaJSError,
  KafkaJSGroupCoordinatorNotFound,
  KafkaJSNonRetriableError,
  KafkaJSProtocolError,
  KafkaJSSASLAuthenticationError,
  logLevel,
  Partitioners,
} from 'kafkajs';
import type { BackboneConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import type { Directory } from '@backbone/directory';
import {
  demoDirectoryOf,
  SaslSecurityBed,
  startSaslSecurityBed,
} from '@backbone/testing/sasl-security-bed';
import type { RunningKafka } from '../../../../infra/kafka/local-kafka-broker';
import type { AgencyAccessFollower } from './agency-access-follower';
import { agencyKafkaPassword } from './agency-password';
import { WireWriter } from './kafka-wire';
import { provisionAgencyAccess } from './provision-agency-access';
import { openScramConnection } from './scram-connection';

const A = 'randers-school';
const B = 'randers-social';
const C = 'east-jutland-police'; // joins the directory while the backbone runs

/** The broker's own answer inside a kafkajs error (kafkajs wraps some in a non-retriable one). */
function protocolErrorOf(error: KafkaJSError): KafkaJSProtocolError | undefined {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if (e instanceof KafkaJSProtocolError) return e;
  }
  return undefined;
}

/** The error a promise rejects with; fails the test if it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<KafkaJSError> {
  try {
    await promise;
  } catch (error) {
    return error as KafkaJSError;
  }
  throw new Error('expected Kafka to refuse, but it allowed it');
}

describe('Kafka security mode (KAFKA_AUTH=sasl)', () => {
  let bed: SaslSecurityBed;
  let broker: RunningKafka;
  let config: BackboneConfig;
  let topics: TopicNames;
  let backbone: Kafka;
  let directory: Directory;
  let follower: AgencyAccessFollower;
  const clients: { disconnect(): Promise<void> }[] = [];

  /** A kafkajs client logged in as an agency, with its password unless another is given. */
  const agencyKafka = (agencyId: string, password?: string): Kafka =>
    new Kafka({
      brokers: broker.brokers,
      clientId: `agency-${agencyId}`,
      logLevel: logLevel.NOTHING,
      // Retries only matter while a fresh broker creates its offsets topic: refusals are final.
      retry: { retries: 8, initialRetryTime: 100 },
      sasl: {
        mechanism: 'scram-sha-256',
        username: agencyId,
        password: password ?? agencyKafkaPassword(config.kafkaAuth.agencyPasswordKey, agencyId),
      },
    });

  const producerOf = async (agencyId: string, password?: string) => {
    const producer = agencyKafka(agencyId, password).producer({ allowAutoTopicCreation: false });
    clients.push(producer);
    await producer.connect();
    return producer;
  };

  const consumerOf = async (agencyId: string, groupId: string): Promise<Consumer> => {
    const consumer = agencyKafka(agencyId).consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 200,
    });
    clients.push(consumer);
    await consumer.connect();
    return consumer;
  };

  const record = (value: string) => ({ key: 'k', value });

  /**
   * The error code of the broker's answer to FindCoordinator for a group, asked as an agency.
   * kafkajs replaces that answer with its own KafkaJSGroupCoordinatorNotFound, so ask directly.
   */
  const findCoordinatorErrorCode = async (agencyId: string, groupId: string): Promise<number> => {
    const connection = await openScramConnection(
      {
        brokers: broker.brokers,
        mechanism: 'scram-sha-256',
        username: agencyId,
        password: agencyKafkaPassword(config.kafkaAuth.agencyPasswordKey, agencyId),
      },
      'security-test',
    );
    try {
      const body = new WireWriter().string(groupId).int8(0).toBuffer(); // key type 0: a group
      const response = await connection.send({ apiKey: 10, apiVersion: 1, flexible: false, body });
      response.int32(); // throttle time
      return response.int16();
    } finally {
      connection.close();
    }
  };

  beforeAll(async () => {
    bed = await startSaslSecurityBed({
      topicAgencies: [A, B, C],
      directoryAgencies: [A, B],
      agencyCredentials: 'derived',
    });
    ({ broker, config, topics, backbone, directory, follower } = bed);

    const producer = backbone.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    for (const agency of [A, B]) {
      await producer.send({
        topic: topics.outcomes(agency),
        messages: [record(`outcome-${agency}`)],
      });
      await producer.send({ topic: topics.inbox(agency), messages: [record(`inbox-${agency}`)] });
    }
    await producer.disconnect();
  });

  afterEach(async () => {
    await Promise.all(
      clients.splice(0).map((client) => client.disconnect().catch(() => undefined)),
    );
  });

  afterAll(() => bed?.stop());

  it('lets an agency produce to its own command topic', async () => {
    const producer = await producerOf(A);
    const [sent] = await producer.send({ topic: topics.commands(A), messages: [record('{}')] });
    expect(sent.errorCode).toBe(0);
  });

  it('lets an agency consume its own outcomes and inbox in a group named after it', async () => {
    const consumer = await consumerOf(A, `${config.topicPrefix}${A}.outcomes-reader`);
    await consumer.subscribe({
      topics: [topics.outcomes(A), topics.inbox(A)],
      fromBeginning: true,
    });
    const received = new Promise<string[]>((resolve, reject) => {
      const values: string[] = [];
      // A fresh group coordinator may still be loading: kafkajs restarts the consumer then.
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) reject(payload.error);
      });
      consumer
        .run({
          eachMessage: async ({ message }) => {
            values.push(String(message.value));
            if (values.length === 2) resolve(values.sort());
          },
        })
        .catch(reject);
    });
    expect(await received).toEqual([`inbox-${A}`, `outcome-${A}`]);
  });

  it("refuses writing another agency's command topic", async () => {
    const producer = await producerOf(A);
    const error = await rejectionOf(
      producer.send({ topic: topics.commands(B), messages: [record('{}')] }),
    );
    expect(error).toBeInstanceOf(KafkaJSNonRetriableError);
    expect(protocolErrorOf(error)).toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED', code: 29 });
  });

  it.each([
    ["another agency's inbox", (t: TopicNames) => t.inbox(B)],
    ["another agency's outcomes", (t: TopicNames) => t.outcomes(B)],
    ['the event log, referrals.events', (t: TopicNames) => t.events],
  ])('refuses reading %s', async (_, topicOf) => {
    const consumer = await consumerOf(A, `${config.topicPrefix}${A}.snooping`);
    const error = await rejectionOf(
      consumer.subscribe({ topics: [topicOf(topics)], fromBeginning: true }),
    );
    expect(error).toBeInstanceOf(KafkaJSProtocolError);
    expect(error).toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED', code: 29 });
  });

  it("refuses consumer groups that are not the agency's own", async () => {
    const GROUP_AUTHORIZATION_FAILED = 30;
    const COORDINATOR_NOT_AVAILABLE = 15; // a fresh broker still creating its offsets topic
    const codeFor = async (group: string): Promise<number> => {
      for (let attempt = 0; ; attempt++) {
        const code = await findCoordinatorErrorCode(A, group);
        if (code !== COORDINATOR_NOT_AVAILABLE || attempt === 20) return code;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    };
    expect(await codeFor(`${config.topicPrefix}${A}`)).toBe(0);
    expect(await codeFor(`${config.topicPrefix}${A}.any-reader`)).toBe(0);
    for (const group of [
      `${config.topicPrefix}${B}`,
      `${config.topicPrefix}${B}.inbox-reader`,
      `${config.topicPrefix}${A}-lookalike`,
      `${config.topicPrefix}referral-backbone.sector-service.all`,
    ]) {
      expect({ group, code: await codeFor(group) }).toEqual({
        group,
        code: GROUP_AUTHORIZATION_FAILED,
      });
    }

    // What a kafkajs consumer in another agency's group sees: kafkajs reports the refused
    // FindCoordinator as "coordinator not found", and the consumer stops.
    const consumer = await consumerOf(A, `${config.topicPrefix}${B}.inbox-reader`);
    await consumer.subscribe({ topics: [topics.inbox(A)], fromBeginning: true });
    const crashed = new Promise<unknown>((resolve) =>
      consumer.on(consumer.events.CRASH, ({ payload }) => resolve(payload.error)),
    );
    await consumer.run({ eachMessage: async () => undefined });
    expect(await crashed).toBeInstanceOf(KafkaJSGroupCoordinatorNotFound);
  });

  it('refuses a login with a wrong password', async () => {
    const error = await rejectionOf(producerOf(A, agencyKafkaPassword('another key', A)));
    expect(error).toBeInstanceOf(KafkaJSSASLAuthenticationError);
    expect(error.message).toMatch(/invalid credentials/);
  });

  it('is idempotent: provisioning again changes nothing', async () => {
    const report = await provisionAgencyAccess(backbone, config, [A, B]);
    expect(report).toMatchObject({ agencies: 2, aclsCreated: 0, aclsRemoved: 0 });
  });

  it('gives an agency added to the directory access without a restart, and takes it away on removal', async () => {
    expect(await rejectionOf(producerOf(C))).toBeInstanceOf(KafkaJSSASLAuthenticationError);

    directory.replace(demoDirectoryOf([A, B, C]));
    await follower.settled();
    const producer = await producerOf(C);
    const [sent] = await producer.send({ topic: topics.commands(C), messages: [record('{}')] });
    expect(sent.errorCode).toBe(0);
    await producer.disconnect();

    directory.replace(demoDirectoryOf([A, B]));
    await follower.settled();
    expect(await rejectionOf(producerOf(C))).toBeInstanceOf(KafkaJSSASLAuthenticationError);
  });
});
