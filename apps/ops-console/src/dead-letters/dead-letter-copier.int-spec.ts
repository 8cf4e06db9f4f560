// The dead-letter copier against the real broker and PostgreSQL, fed what anyone reaching the
// broker could write to the dead-letter topic: every hostile record is stored (cleaned where
// PostgreSQL would refuse it) or skipped, and the good record after them still arrives.
import { Kafka, Message, Producer } from 'kafkajs';
import { Pool } from 'pg';
import { TopicNames } from '@backbone/contracts';
import { loadDirectory } from '@backbone/directory';
import { createKafka, prepareTopics } from '@backbone/messaging';
import { eventually } from '@backbone/testing/eventually';
import { TestDatabase, createTestDatabase, testConfig } from '@backbone/testing/test-stack';
import { DeadLetterCopier } from './dead-letter-copier';
import { DeadLetters } from './dead-letters.store';

interface Row {
  offset: string;
  reason: string;
  source_topic: string | null;
  source_partition: number | null;
  source_offset: string | null;
  value_bytes: number;
  preview: { format: string; content?: unknown };
}

describe('dead-letter copier', () => {
  let database: TestDatabase;
  let pool: Pool;
  let kafka: Kafka;
  let producer: Producer;
  let topics: TopicNames;
  let copier: DeadLetterCopier;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = testConfig(database.url);
    topics = new TopicNames(config.topicPrefix);
    const directory = loadDirectory();
    await prepareTopics(config, directory);
    pool = new Pool({ connectionString: database.url });
    kafka = createKafka(config.kafkaBrokers, 'dead-letter-copier-spec');
    producer = kafka.producer();
    await producer.connect();
    copier = new DeadLetterCopier(kafka, topics, directory, new DeadLetters(pool), config);
  });
  afterAll(async () => {
    await copier?.onApplicationShutdown();
    await producer?.disconnect();
    await pool?.end();
    await database?.drop();
  });

  const rows = async () =>
    (
      await pool.query<Row>(
        `SELECT dead_letter_offset::text AS offset, reason, source_topic, source_partition,
                source_offset::text, value_bytes, preview
         FROM dead_letters ORDER BY dead_letter_offset`,
      )
    ).rows;

  it('stores or skips each hostile record and goes on to the next', async () => {
    // Started here, not in beforeAll: kafkajs loads parts of itself on the first fetch, which
    // jest refuses between tests.
    copier.onApplicationBootstrap();
    const source = (topic: string, partition: string, offset: string) => ({
      'dlq-source-topic': topic,
      'dlq-source-partition': partition,
      'dlq-source-offset': offset,
    });
    const manyKeys = JSON.stringify(
      Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`k${i}`, i])),
    );
    const hostile: Message[] = [
      {
        value: '{}',
        headers: { 'dlq-reason': 'bad\u0000reason', ...source('t\u0000opic', '0', '1') },
      },
      {
        key: Buffer.from([0xff, 0x00]),
        value: Buffer.from([0xff, 0xfe, 0x00, 0x01]),
        headers: { 'dlq-reason': Buffer.from([0xff, 0xc3, 0x28, 0x00, 0xed, 0xa0, 0x80]) },
      },
      { value: '{"type":"\\ud800","\\u0000":"\\u0000","data":{"reason":"\\udc00x"}}' },
      { value: `${'['.repeat(3000)}${']'.repeat(3000)}`, headers: { 'dlq-reason': 'deep' } },
      { value: 'not json {', headers: { 'dlq-reason': 'r'.repeat(100_000) } },
      { value: null },
      { value: '{}', headers: { 'dlq-reason': 'ranges', ...source('t', '99999999999', '1') } },
      {
        value: '{}',
        headers: { 'dlq-reason': 'ranges', ...source('t', '1', '9999999999999999999') },
      },
      { value: manyKeys, headers: { 'dlq-reason': 'many keys' } },
      // As large as a command topic takes, four times kafkajs's fetch size for a partition.
      { value: Buffer.alloc(4 * 1024 * 1024, 0xff), headers: { 'dlq-reason': 'huge' } },
    ];
    const good: Message = {
      value: JSON.stringify({ specversion: '1.0', id: 'not-a-uuid', type: 'referral.make.v1' }),
      headers: {
        'dlq-reason': 'INVALID: id must be a UUID',
        ...source(topics.commands('randers-school'), '2', '17'),
      },
    };
    // One partition, so the good record is only reached through every hostile one.
    for (const message of [...hostile, good])
      await producer.send({ topic: topics.deadLetter, messages: [{ ...message, partition: 0 }] });

    const copied = await eventually(
      async () => {
        const all = await rows();
        return all.some((row) => row.reason === 'INVALID: id must be a UUID') ? all : undefined;
      },
      'the good dead letter after the hostile ones',
      60_000,
    );
    expect(copied).toHaveLength(hostile.length + 1);
    const [nul, garbled, escapes, deep, notJson, empty, partition, offset, keys, huge, last] =
      copied;
    expect(nul.reason).toBe('bad\uFFFDreason');
    expect(nul.source_topic).toBeNull(); // no real topic: left out, not stored as it was
    expect(garbled.reason).not.toContain('\u0000');
    expect(garbled.value_bytes).toBe(4);
    expect(escapes.preview.format).toBe('json');
    expect(deep.preview.format).toBe('json');
    expect(notJson.preview.format).toBe('not-json');
    expect(notJson.reason.length).toBeLessThan(2100);
    expect(empty.preview.format).toBe('empty');
    expect(empty.reason).toBe('unknown (no dlq-reason header)');
    expect([partition.source_topic, offset.source_topic]).toEqual([null, null]);
    expect(keys.value_bytes).toBe(Buffer.byteLength(manyKeys));
    expect(Object.keys(keys.preview.content as object)).toHaveLength(51); // 50 and «more keys»
    expect(huge).toMatchObject({ value_bytes: 4 * 1024 * 1024, preview: { format: 'not-json' } });
    expect(last).toMatchObject({
      source_topic: topics.commands('randers-school'),
      source_partition: 2,
      source_offset: '17',
    });
  });
});
