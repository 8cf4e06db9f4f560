// kafkajs 2.2.4 predates Kafka 4.x, which dropped many old protocol versions: these prove every
// client feature the backbone relies on still works against the broker we run.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { testKafkaBrokers } from '@backbone/testing/test-stack';

const kafka = () =>
  new Kafka({ brokers: testKafkaBrokers(), clientId: 'compatibility', logLevel: logLevel.NOTHING });

async function consumeAll(
  groupId: string,
  topic: string,
  expected: number,
  timeoutMs = 30_000,
): Promise<string[]> {
  const consumer = kafka().consumer({ groupId, maxWaitTimeInMs: 200 });
  const seen: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`saw ${seen.length} of ${expected} records`)),
        timeoutMs,
      );
      void consumer.run({
        eachMessage: async ({ message }) => {
          seen.push(String(message.value));
          if (seen.length >= expected) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    // Give a late, unexpected record (e.g. an aborted one) the chance to show up.
    await new Promise((r) => setTimeout(r, 500));
    return seen;
  } finally {
    await consumer.disconnect();
  }
}

describe('kafkajs against the local Kafka broker', () => {
  const admin = kafka().admin();
  const topic = `compat-${randomUUID()}`;

  beforeAll(async () => {
    await admin.connect();
  });
  afterAll(async () => {
    await admin.disconnect();
  });

  it('creates a topic with the requested partitions', async () => {
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    expect(metadata.partitions).toHaveLength(3);
  });

  it('produces with acks=all from an idempotent producer, and a consumer group reads and commits', async () => {
    const producer = kafka().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const sent = await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: 10 }, (_, i) => ({ key: `k${i % 3}`, value: `plain-${i}` })),
    });
    await producer.disconnect();
    expect(sent.every((r) => r.errorCode === 0)).toBe(true);

    const groupId = `compat-group-${randomUUID()}`;
    const seen = await consumeAll(groupId, topic, 10);
    expect(seen.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `plain-${i}`).sort());
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    // A partition that received nothing has no commit (-1).
    const committed = offsets.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    expect(committed).toBe(10);
  });

  it('commits and aborts transactions; read_committed consumers see only the committed records', async () => {
    const txTopic = `compat-tx-${randomUUID()}`;
    await admin.createTopics({
      topics: [{ topic: txTopic, numPartitions: 1 }],
      waitForLeaders: true,
    });
    const producer = kafka().producer({
      transactionalId: `compat-${randomUUID()}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const committed = await producer.transaction();
    await committed.send({ topic: txTopic, messages: [{ value: 'committed' }] });
    await committed.commit();
    const aborted = await producer.transaction();
    await aborted.send({ topic: txTopic, messages: [{ value: 'aborted' }] });
    await aborted.abort();
    await producer.disconnect();

    expect(await consumeAll(`compat-tx-${randomUUID()}`, txTopic, 1)).toEqual(['committed']);
  });
});
