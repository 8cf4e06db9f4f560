// Topic settings against the real broker (default settings: message.max.bytes about 1 MiB):
// every backbone topic takes the largest record written to it, new or upgraded.
import { ConfigResourceTypes, Kafka } from 'kafkajs';
import { loadConfig } from '@backbone/config';
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

const DAY_MS = 86_400_000;
/** One partition each, and retention as the backbone's defaults set it. */
const LAYOUT = { ...loadConfig({}), topicPartitions: 1 };

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
    const specs = backboneTopics(names, ['agency-a'], LAYOUT);
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

  it('creates every backbone topic with the retention of its class, never the broker default', async () => {
    const retention = await settingsOf(
      backboneTopics(names, ['agency-a'], LAYOUT).map((s) => s.topic),
      ['retention.ms', 'segment.ms', 'cleanup.policy', 'message.timestamp.type'],
    );
    const deleteAfter = (days: number) => ({
      'retention.ms': String(days * DAY_MS),
      'segment.ms': String(DAY_MS),
      'cleanup.policy': 'delete',
      'message.timestamp.type': 'LogAppendTime',
    });
    expect(retention).toEqual({
      [names.events]: deleteAfter(7),
      [names.deadLetter]: deleteAfter(3),
      [names.commands('agency-a')]: deleteAfter(3),
      [names.outcomes('agency-a')]: deleteAfter(7),
      [names.inbox('agency-a')]: deleteAfter(7),
    });
  });

  it("raises an existing topic's limit, sets its retention, keeps its other settings and a limit already larger", async () => {
    const upgraded = new TopicNames(`t${uniqueSuffix()}.`);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        {
          topic: upgraded.events,
          numPartitions: 1,
          configEntries: [
            { name: 'compression.type', value: 'lz4' },
            { name: 'retention.ms', value: '-1' },
            { name: 'cleanup.policy', value: 'compact' },
          ],
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
    const retention = { ...LAYOUT.retention, topicsMs: { ...LAYOUT.retention.topicsMs } };
    retention.topicsMs.events = 2 * DAY_MS;
    const created = await ensureTopics(
      kafka,
      backboneTopics(upgraded, [], { ...LAYOUT, retention }),
    );
    expect(created).toEqual([]);
    const settings = await settingsOf(
      [upgraded.events, upgraded.deadLetter],
      ['max.message.bytes', 'retention.ms', 'cleanup.policy', 'compression.type'],
    );
    expect(settings[upgraded.events]).toEqual({
      'max.message.bytes': String(BACKBONE_TOPIC_MAX_MESSAGE_BYTES),
      'retention.ms': String(2 * DAY_MS),
      'cleanup.policy': 'delete',
      'compression.type': 'lz4',
    });
    expect(settings[upgraded.deadLetter]['max.message.bytes']).toBe(String(8 * 1024 * 1024));
    expect(settings[upgraded.deadLetter]['retention.ms']).toBe(String(3 * DAY_MS));
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
