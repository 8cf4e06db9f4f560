// A consumer crash kafkajs gives up on, against the real broker: a consumer kept running runs
// again and reads what it had not; a bare kafkajs consumer stays stopped (the control).
import { Consumer, Kafka, KafkaJSNonRetriableError, Producer } from 'kafkajs';
import { rootLogger } from '@backbone/observability';
import { eventually } from '@backbone/testing/eventually';
import { testKafkaBrokers, uniqueSuffix } from '@backbone/testing/test-stack';
import { createConsumer, createKafka } from './kafka-client';
import { KeptRunning } from './kept-running';
import { ensureTopics } from './topic-admin';

const quietLogger = rootLogger.child({ component: 'kept-running-spec' });

describe('a consumer kept running', () => {
  let kafka: Kafka;
  let producer: Producer;
  let topic: string;
  const stops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    kafka = createKafka(testKafkaBrokers(), 'kept-running-spec');
    topic = `t${uniqueSuffix()}.kept-running`;
    await ensureTopics(kafka, [{ topic, numPartitions: 1 }]);
    producer = kafka.producer();
    await producer.connect();
  });

  afterEach(async () => {
    await Promise.all(stops.splice(0).map((stop) => stop().catch(() => undefined)));
  });

  afterAll(async () => {
    await producer.disconnect();
  });

  /** A handler that throws an error kafkajs does not retry on the first record it sees, once. */
  function failingOnce(seen: string[]) {
    let failed = false;
    return async ({ message }: { message: { value: Buffer | null } }) => {
      if (!failed) {
        failed = true;
        throw new KafkaJSNonRetriableError('a fault kafkajs gives up on');
      }
      seen.push(String(message.value));
    };
  }

  async function consumerOf(groupSuffix: string): Promise<Consumer> {
    const consumer = createConsumer(kafka, `kept-running-spec.${uniqueSuffix()}.${groupSuffix}`);
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    return consumer;
  }

  it('runs again after a crash kafkajs does not restart from, and reads every record', async () => {
    const value = `record-${uniqueSuffix()}`;
    await producer.send({ topic, messages: [{ value }] });
    const seen: string[] = [];
    const crashes: boolean[] = [];
    const consumer = await consumerOf('kept');
    consumer.on(consumer.events.CRASH, ({ payload }) => crashes.push(payload.restart));
    const running = new KeptRunning(consumer, quietLogger);
    stops.push(() => running.stop());
    await running.run({ eachMessage: failingOnce(seen) });

    await eventually(async () => (seen.includes(value) ? true : undefined), 'the record read');
    expect(crashes).toEqual([false]);
  });

  it('(control) a bare kafkajs consumer stays stopped after the same crash', async () => {
    const value = `record-${uniqueSuffix()}`;
    await producer.send({ topic, messages: [{ value }] });
    const seen: string[] = [];
    const consumer = await consumerOf('bare');
    const crashed = new Promise<boolean>((resolve) =>
      consumer.on(consumer.events.CRASH, ({ payload }) => resolve(payload.restart)),
    );
    stops.push(() => consumer.disconnect());
    await consumer.run({ eachMessage: failingOnce(seen) });

    expect(await crashed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(seen).toEqual([]);
  });

  it('does not run again once stopped, even with a restart pending', async () => {
    const seen: string[] = [];
    const consumer = await consumerOf('stopped');
    const crashed = new Promise<void>((resolve) =>
      consumer.on(consumer.events.CRASH, () => resolve()),
    );
    await producer.send({ topic, messages: [{ value: `record-${uniqueSuffix()}` }] });
    const running = new KeptRunning(consumer, quietLogger);
    await running.run({ eachMessage: failingOnce(seen) });
    await crashed;
    await running.stop();
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(joined).toBe(false);
    expect(seen).toEqual([]);
  });
});
