// Topic settings against the real broker (default settings: message.max.bytes about 1 MiB):
// every backbone topic takes the largest record written to it, new or upgraded.
import { ConfigResourceTypes, Kafka } from 'kafkajs';
import { TopicNames } from '@backbone/contracts';
import { eventually } from '@backbone/testing/eventually';
import { testKafkaBrokers, uniqueSuffix } from '@backbone/testing/test-stack';
import { backboneTopics } from './backbone-topics';
import { createConsumer, createKafka } from './kafka-client';
import { LogProducer } from './log-producer';
import {
  BACKBONE_TOPIC_MAX_MESSAGE_BYTES,
  COMMAND_TOPIC_MAX_MESSAGE_BYTES,
  DEAD_LETTER_TOPIC_MAX_MESSAGE_BYTES,
  EVENT_RECORD_BOUND_BYTES,
} from './record-limits';
import { ensureTopics } from './topic-admin';

describe('topic administration', () => {
  let kafka: Kafka;
  let names: TopicNames;

  beforeAll(() => {
    kafka = createKafka(testKafkaBrokers(), 'topic-admin-spec');
    names = new TopicNames(`t${uniqueSuffix()}.`);
  });

  async function settingsOf(topics: string[], configNames: string[]) {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { resources } = await admin.describeConfigs({
        resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames })),
        includeSynonyms: false,
      });
      return Object.fromEntries(
        resources.map((r) => [
          r.resourceName,
          Object.fromEntries(r.configEntries.map((e) => [e.configName, e.configValue])),
        ]),
      );
    } finally {
      await admin.disconnect();
    }
  }

  it('creates every backbone topic with a max.message.bytes that takes its largest record', async () => {
    const specs = backboneTopics(names, ['agency-a'], 1);
    await ensureTopics(kafka, specs);
    const settings = await settingsOf(
      specs.map((s) => s.topic),
      ['max.message.bytes'],
    );
    const limit = (topic: string) => Number(settings[topic]['max.message.bytes']);
    expect(limit(names.events)).toBe(BACKBONE_TOPIC_MAX_MESSAGE_BYTES);
    expect(limit(names.inbox('agency-a'))).toBe(BACKBONE_TOPIC_MAX_MESSAGE_BYTES);
    expect(limit(names.outcomes('agency-a'))).toBe(BACKBONE_TOPIC_MAX_MESSAGE_BYTES);
    expect(limit(names.commands('agency-a'))).toBe(COMMAND_TOPIC_MAX_MESSAGE_BYTES);
    expect(limit(names.deadLetter)).toBe(DEAD_LETTER_TOPIC_MAX_MESSAGE_BYTES);
    expect(limit(names.events)).toBeGreaterThanOrEqual(2 * EVENT_RECORD_BOUND_BYTES);
    // Whatever a command topic took, a dead letter can carry.
    expect(limit(names.deadLetter)).toBeGreaterThan(COMMAND_TOPIC_MAX_MESSAGE_BYTES);
  });

  it("raises an existing topic's limit, keeps its other settings and a limit already larger", async () => {
    const upgraded = new TopicNames(`t${uniqueSuffix()}.`);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        {
          topic: upgraded.events,
          numPartitions: 1,
          configEntries: [{ name: 'retention.ms', value: '86400000' }],
        },
        {
          topic: upgraded.deadLetter,
          numPartitions: 1,
          configEntries: [{ name: 'max.message.bytes', value: String(8 * 1024 * 1024) }],
        },
      ],
      waitForLeaders: true,
    });
    await admin.disconnect();
    const created = await ensureTopics(kafka, backboneTopics(upgraded, [], 1));
    expect(created).toEqual([]);
    const settings = await settingsOf(
      [upgraded.events, upgraded.deadLetter],
      ['max.message.bytes', 'retention.ms'],
    );
    expect(settings[upgraded.events]).toEqual({
      'max.message.bytes': String(BACKBONE_TOPIC_MAX_MESSAGE_BYTES),
      'retention.ms': '86400000',
    });
    expect(settings[upgraded.deadLetter]['max.message.bytes']).toBe(String(8 * 1024 * 1024));
  });

  it('takes a record far over the broker default, and a backbone consumer fetches it', async () => {
    const producer = LogProducer.for(kafka);
    await producer.connect();
    const value = 'x'.repeat(3 * 1024 * 1024);
    await producer.sendBatch({
      topicMessages: [
        {
          topic: names.events,
          messages: [
            { key: 'big', value },
            { key: 'small', value: 'ok' },
          ],
        },
      ],
      acks: -1,
    });
    await producer.disconnect();
    const received: { key: string; bytes: number }[] = [];
    const consumer = createConsumer(kafka, `topic-admin-spec-${uniqueSuffix()}`);
    await consumer.connect();
    await consumer.subscribe({ topics: [names.events], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) =>
        void received.push({ key: String(message.key), bytes: message.value?.length ?? 0 }),
    });
    try {
      await eventually(async () => (received.length >= 2 ? true : undefined), 'both records');
      expect(received).toEqual([
        { key: 'big', bytes: value.length },
        { key: 'small', bytes: 2 },
      ]);
    } finally {
      await consumer.disconnect();
    }
  });
});
