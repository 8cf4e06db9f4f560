// The quarantine while the projector is busy: records keep arriving on three partitions, in
// groups that span partitions and overlap their commits, and one record in the middle cannot
// be applied. Every other record is applied exactly once, the bad one is quarantined once, and
// every partition's offset ends past its last record.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { register } from 'prom-client';
import { TopicNames } from '@backbone/contracts';
import { createPipelinedPool } from '@backbone/database';
import { createKafka } from '@backbone/messaging';
import { eventually } from '@backbone/testing/eventually';
import { referralMade } from '@backbone/testing/published-referrals';
import { TestDatabase, createTestDatabase, testConfig } from '@backbone/testing/test-stack';
import { ProjectorConsumer } from './projector.consumer';

const SENDS = 6;
const PER_SEND = 50;

describe('quarantine while records keep arriving on several partitions', () => {
  let database: TestDatabase;
  let pool: Pool;
  let pipelinedPool: Pool;
  let kafka: Kafka;
  let settings: ReturnType<typeof testConfig>;
  let topics: TopicNames;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new Pool({ connectionString: database.url, max: 4 });
    pipelinedPool = createPipelinedPool(database.url);
    settings = testConfig(database.url);
    topics = new TopicNames(settings.topicPrefix);
    kafka = createKafka(settings.kafkaBrokers, 'quarantine-in-flight');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: topics.events, numPartitions: 3 }],
      waitForLeaders: true,
    });
    await admin.disconnect();
  });
  afterAll(async () => {
    await pool?.end();
    await pipelinedPool?.end();
    await database?.drop();
  });

  it('applies every other record once and quarantines the bad one once', async () => {
    const consumer = new ProjectorConsumer(kafka, topics, pool, pipelinedPool, settings);
    await consumer.onApplicationBootstrap();
    const producer = new Kafka({
      brokers: settings.kafkaBrokers,
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
    const valid: string[] = [];
    const hostile = referralMade(randomUUID());
    hostile.data.decisionDueBy = '2099-01-01T00:00:00+20:00';
    try {
      for (let send = 0; send < SENDS; send++) {
        const events = Array.from({ length: PER_SEND }, () => referralMade(randomUUID()));
        valid.push(...events.map((e) => e.subject));
        if (send === SENDS / 2) events.splice(PER_SEND / 2, 0, hostile);
        await producer.send({
          topic: topics.events,
          messages: events.map((e) => ({ key: `referral-${e.subject}`, value: JSON.stringify(e) })),
        });
        await new Promise((r) => setTimeout(r, 50));
      }
      const sent = SENDS * PER_SEND + 1;
      await eventually(async () => {
        const { rows } = await pool.query<{ n: string }>(
          'SELECT coalesce(sum(next_offset), 0)::text AS n FROM projector_offsets WHERE topic = $1',
          [topics.events],
        );
        return Number(rows[0].n) === sent ? true : undefined;
      }, `every partition past its last record (${sent} in all)`);
    } finally {
      await producer.disconnect();
      await consumer.onApplicationShutdown();
    }
    const { rows: views } = await pool.query<{ referral_id: string }>(
      'SELECT referral_id FROM referral_views',
    );
    expect(views.map((v) => v.referral_id).sort()).toEqual([...valid].sort());
    const { rows: quarantined } = await pool.query(
      "SELECT event_id, attempts FROM quarantined_events WHERE consumer = 'projector'",
    );
    expect(quarantined).toEqual([{ event_id: hostile.id, attempts: 1 }]);
    // Counted once each: no record applied twice, whether in its group or taken apart.
    const applied = register.getSingleMetric('projector_events_applied_total');
    const values = applied ? (await applied.get()).values : [];
    expect(values.find((v) => v.labels.model === 'referral-views')?.value).toBe(valid.length);
  });
});
