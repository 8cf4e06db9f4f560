// The live tail against the real broker, fed what anyone reaching the broker could write to
// referrals.events: each hostile record is skipped, logged and counted, and the event after
// them is shown.
import { randomUUID } from 'node:crypto';
import { Kafka, Message, Producer } from 'kafkajs';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { TopicNames } from '@backbone/contracts';
import { loadDirectory } from '@backbone/directory';
import { createKafka, prepareTopics } from '@backbone/messaging';
import { eventually } from '@backbone/testing/eventually';
import { testConfig } from '@backbone/testing/test-stack';
import { opsConsoleMetrics } from '../metrics/ops-console-metrics';
import { EventsTail } from './events-tail';

const skipped = async () =>
  (await opsConsoleMetrics.recordsIsolated.get()).values.find(
    (v) => v.labels.follower === 'live-tail' && v.labels.outcome === 'not_an_event',
  )?.value ?? 0;

describe('live tail', () => {
  let kafka: Kafka;
  let producer: Producer;
  let topics: TopicNames;
  let tail: EventsTail;

  beforeAll(async () => {
    // The tail needs no database: the URL is never used.
    const config = testConfig('postgres://unused/unused');
    topics = new TopicNames(config.topicPrefix);
    await prepareTopics(config, loadDirectory());
    kafka = createKafka(config.kafkaBrokers, 'events-tail-spec');
    producer = kafka.producer();
    await producer.connect();
    tail = new EventsTail(kafka, topics, config);
  });
  afterAll(async () => {
    tail?.onModuleDestroy();
    await tail?.onApplicationShutdown();
    await producer?.disconnect();
  });

  it('skips each record that is no event, counted, and shows the event after them', async () => {
    // Started here, not in beforeAll: kafkajs loads parts of itself on the first fetch, which
    // jest refuses between tests.
    tail.onApplicationBootstrap();
    await firstValueFrom(tail.following.pipe(filter((live) => live)));
    const before = await skipped();
    const streamId = `referral-${randomUUID()}`;
    const event = (extra: Record<string, unknown> = {}) =>
      JSON.stringify({ time: '2026-01-01T00:00:00Z', type: 'referral.made.v1', ...extra });
    const hostile: Message[] = [
      { key: streamId, value: `{"time":"2026-01-01T00:00:00Z","type":"a\\u0000b"}` },
      { key: 'referral-\u0000', value: event(), headers: { ce_id: 'x\u0000y' } },
      { key: Buffer.from([0xff, 0xfe]), value: Buffer.from([0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80]) },
      { key: streamId, value: `${'['.repeat(3000)}${']'.repeat(3000)}` },
      { key: streamId, value: `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}` },
      { key: streamId, value: 'not json {' },
      { key: streamId, value: null },
      { value: event() }, // no key: no stream
      { key: streamId, value: event({ type: '\ud800' }) },
      { key: streamId, value: `{"pad":"${'x'.repeat(3 * 1024 * 1024)}"}` },
    ];
    const good: Message = { key: streamId, value: event({ actingagency: 'randers-school' }) };
    // One partition, so the event is only reached through every hostile record.
    for (const message of [...hostile, good])
      await producer.send({ topic: topics.events, messages: [{ ...message, partition: 0 }] });

    const shown = await eventually(
      async () => tail.recent().find((entry) => entry.stream === streamId),
      'the event after the hostile records',
      60_000,
    );
    expect(shown).toMatchObject({ type: 'referral.made.v1', actingAgency: 'randers-school' });
    expect(tail.recent().filter((entry) => entry.stream === streamId)).toHaveLength(1);
    expect(await skipped()).toBe(before + hostile.length);
  });
});
