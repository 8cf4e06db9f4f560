// The publisher against real PostgreSQL and Kafka: every stored event reaches referrals.events
// and each party's inbox, keyed by stream and in stream order; one instance publishes at a
// time, and another takes over when it stops.
import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { Pool } from 'pg';
import { ConfigModule } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { DataProtectionModule } from '@backbone/data-protection';
import { DatabaseModule, PUBLISHER_PART } from '@backbone/database';
import { DirectoryModule, loadDirectory } from '@backbone/directory';
import { EventStoreModule, PostgresEventStore } from '@backbone/event-store';
import { KafkaModule, prepareTopics } from '@backbone/messaging';
import { eventually } from '@backbone/testing/eventually';
import { TestDatabase, createTestDatabase, testConfig } from '@backbone/testing/test-stack';
import { TopicWatcher } from '@backbone/testing/topic-watcher';
import { PublisherModule } from './publisher.module';

describe('event publisher', () => {
  let database: TestDatabase;
  let config: ReturnType<typeof testConfig>;
  let topics: TopicNames;
  let watcher: TopicWatcher;
  let pool: Pool;
  const instances: { close: () => Promise<void>; store: PostgresEventStore }[] = [];

  async function startInstance() {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        DataProtectionModule,
        DirectoryModule,
        EventStoreModule,
        KafkaModule,
        PublisherModule,
      ],
    }).compile();
    const app = await moduleRef.init();
    const instance = { close: () => app.close(), store: app.get(PostgresEventStore) };
    instances.push(instance);
    return instance;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    config = testConfig(database.url);
    topics = new TopicNames(config.topicPrefix);
    await prepareTopics(config, loadDirectory());
    pool = new Pool({ connectionString: database.url });
    watcher = await TopicWatcher.start(config.kafkaBrokers, [
      topics.events,
      topics.inbox('randers-social'),
    ]);
  });
  afterAll(async () => {
    await watcher?.stop();
    for (const instance of instances) await instance.close().catch(() => undefined); // some are closed already
    await pool?.end();
    await database?.drop();
  });

  const appendTo = (store: PostgresEventStore, streamId: string, count: number, from: number) =>
    store.appendToStream(
      streamId,
      from === 0 ? 'no-stream' : from,
      Array.from({ length: count }, (_, i) => ({
        eventId: randomUUID(),
        type: 'referral.noted.v1',
        data: { n: from + i + 1 },
        metadata: { parties: ['randers-school', 'randers-social'] },
      })),
    );
  const published = (streamId: string) =>
    watcher.records
      .filter((r) => r.topic === topics.events && r.key === streamId)
      .map((r) => r.json?.streamversion);

  it('publishes every event once per topic, keyed by stream, in stream order, from one active instance', async () => {
    const [first] = [await startInstance(), await startInstance()];
    const streams = Array.from({ length: 5 }, () => `referral-${randomUUID()}`);
    for (const streamId of streams) await appendTo(first.store, streamId, 4, 0);

    for (const streamId of streams) {
      await eventually(
        async () => (published(streamId).length >= 4 ? true : undefined),
        `4 events of ${streamId}`,
      );
      expect(published(streamId)).toEqual([1, 2, 3, 4]);
      // The inbox copies went in the same request, but are fetched on their own partitions.
      const inbox = () =>
        watcher.records.filter(
          (r) => r.topic === topics.inbox('randers-social') && r.key === streamId,
        );
      await eventually(async () => (inbox().length >= 4 ? true : undefined), 'inbox copies');
      expect(inbox()).toHaveLength(4);
    }
    // The publisher's own lock (the module's webhook queuer holds one of its own); a 64-bit key
    // shows in pg_locks as its high and low halves.
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
       WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()
         AND (l.classid::bigint << 32) | l.objid::bigint = $1::bigint`,
      [PUBLISHER_PART.lockKey],
    );
    expect(rows[0].n).toBe(1);
  });

  it('is taken over by another instance when the active one goes away', async () => {
    const streamId = `referral-${randomUUID()}`;
    await appendTo(instances[1].store, streamId, 2, 0);
    await eventually(
      async () => (published(streamId).length >= 2 ? true : undefined),
      'the first two events',
    );
    // After the first instance stops, the second is the active one (it was, or it takes over);
    // stopping that one then forces a third, started meanwhile, to take over.
    await instances[0].close();
    const third = await startInstance();
    await appendTo(third.store, streamId, 1, 2);
    await eventually(
      async () => (published(streamId).length >= 3 ? true : undefined),
      'the third event',
    );
    await instances[1].close();
    await appendTo(third.store, streamId, 2, 3);
    await eventually(
      async () => (published(streamId).length >= 5 ? true : undefined),
      'events after the takeover',
      30_000,
    );
    expect(published(streamId)).toEqual([1, 2, 3, 4, 5]);
  });

  it('publishes a run of large events on one stream that no single batch could carry', async () => {
    const { store } = await startInstance();
    const streamId = `referral-${randomUUID()}`;
    // 20 events of 250 KiB (near the store's limit for one event) on one partition: 5 MB, over
    // even the topic's raised limit as one record batch, and 20 times a broker's default.
    const large = 20;
    await store.appendToStream(
      streamId,
      'no-stream',
      Array.from({ length: large }, (_, i) => ({
        eventId: randomUUID(),
        type: 'referral.noted.v1',
        data: { n: i + 1, padding: 'x'.repeat(250 * 1024) },
        metadata: { parties: ['randers-school', 'randers-social'] },
      })),
    );
    await eventually(
      async () => (published(streamId).length >= large ? true : undefined),
      'every large event on referrals.events',
      60_000,
    );
    expect(published(streamId)).toEqual(Array.from({ length: large }, (_, i) => i + 1));
    const inbox = () =>
      watcher.records
        .filter((r) => r.topic === topics.inbox('randers-social') && r.key === streamId)
        .map((r) => r.json?.streamversion);
    await eventually(async () => (inbox().length >= large ? true : undefined), 'inbox copies');
    expect(inbox()).toEqual(Array.from({ length: large }, (_, i) => i + 1));
  });
});
