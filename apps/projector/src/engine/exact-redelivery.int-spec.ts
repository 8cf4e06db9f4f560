// Invariant 5, first half: the projector's Kafka offsets commit in the read models' own
// transaction, so records Kafka hands out again (its committed offsets lost or behind) are
// never applied twice: not even where no stream-version guard would catch them.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { register } from 'prom-client';
import { TopicNames } from '@backbone/contracts';
import { createPipelinedPool } from '@backbone/database';
import { CONSUMER_GROUPS, createKafka } from '@backbone/messaging';
import { eventually } from '@backbone/testing/eventually';
import { publishReferralsMade, referralMade } from '@backbone/testing/published-referrals';
import { TestDatabase, createTestDatabase, testConfig } from '@backbone/testing/test-stack';
import { ProjectorConsumer } from './projector.consumer';

const appliedCount = async (): Promise<number> => {
  const metric = register.getSingleMetric('projector_events_applied_total');
  const values = metric ? (await metric.get()).values : [];
  return values.find((v) => v.labels.model === 'referral-views')?.value ?? 0;
};

describe('projector offsets in PostgreSQL', () => {
  let database: TestDatabase;
  let pool: Pool;
  let pipelinedPool: Pool;
  let kafka: Kafka;
  const config = () => testConfig(database.url);
  let settings: ReturnType<typeof testConfig>;
  let topics: TopicNames;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new Pool({ connectionString: database.url, max: 4 });
    pipelinedPool = createPipelinedPool(database.url);
    settings = config();
    topics = new TopicNames(settings.topicPrefix);
    kafka = createKafka(settings.kafkaBrokers, 'exact-redelivery');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: topics.events, numPartitions: 1 }],
      waitForLeaders: true,
    });
    await admin.disconnect();
  });
  afterAll(async () => {
    await pool?.end();
    await pipelinedPool?.end();
    await database?.drop();
  });

  /** Publishes a referral.made for each id (new ones when only a count is given). */
  const produce = (count: number, ids?: string[], topic = topics.events) =>
    publishReferralsMade(settings.kafkaBrokers, topic, count, ids);
  const viewsOf = async (ids: string[]): Promise<number> => {
    const { rows } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM referral_views WHERE referral_id = ANY($1::uuid[])',
      [ids],
    );
    return rows[0].n;
  };
  const storedOffset = async (): Promise<number | undefined> => {
    const { rows } = await pool.query<{ next_offset: string }>(
      'SELECT next_offset::text AS next_offset FROM projector_offsets WHERE topic = $1 AND partition = 0',
      [topics.events],
    );
    return rows[0] && Number(rows[0].next_offset);
  };
  const runConsumerUntil = async (offset: number): Promise<void> => {
    const consumer = new ProjectorConsumer(kafka, topics, pool, pipelinedPool, settings);
    await consumer.onApplicationBootstrap();
    try {
      await eventually(
        async () => ((await storedOffset()) === offset ? true : undefined),
        `offset ${offset}`,
      );
    } finally {
      await consumer.onApplicationShutdown();
    }
  };

  it('stores the next offset with each batch and applies nothing twice when Kafka redelivers', async () => {
    await produce(3);
    const before = await appliedCount();
    await runConsumerUntil(3);
    expect((await appliedCount()) - before).toBe(3);

    // Kafka forgets the group's progress, as if the process died after the database commit
    // and before the Kafka commit: every record is handed out again.
    const admin = kafka.admin();
    await admin.connect();
    await admin.resetOffsets({
      groupId: CONSUMER_GROUPS.projector(settings.topicPrefix, 'referral-views'),
      topic: topics.events,
      earliest: true,
    });
    await admin.disconnect();

    await produce(1);
    await runConsumerUntil(4);
    expect((await appliedCount()) - before).toBe(4);
    const { rows } = await pool.query<{ count: string }>('SELECT count(*) FROM referral_views');
    expect(Number(rows[0].count)).toBe(4);
  });

  it('skips a record that is not JSON and applies the ones after it', async () => {
    const producer = new Kafka({
      brokers: settings.kafkaBrokers,
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
    const referralId = randomUUID();
    const start = (await storedOffset()) ?? 0;
    await producer.send({
      topic: topics.events,
      messages: [
        { key: 'referral-unreadable', value: 'not JSON {' },
        { key: `referral-${referralId}`, value: JSON.stringify(referralMade(referralId)) },
      ],
    });
    await producer.disconnect();
    await runConsumerUntil(start + 2);
    const { rows } = await pool.query('SELECT 1 FROM referral_views WHERE referral_id = $1', [
      referralId,
    ]);
    expect(rows).toHaveLength(1);
  });

  it('applies a failed group again before anything fetched after it, skipping nothing', async () => {
    const consumer = new ProjectorConsumer(kafka, topics, pool, pipelinedPool, settings);
    await consumer.onApplicationBootstrap();
    const lock = await pool.connect();
    try {
      // One group applied first, so that the partition's offset row exists to be locked.
      const start = ((await storedOffset()) ?? 0) + 1;
      await produce(1);
      await eventually(
        async () => ((await storedOffset()) === start ? true : undefined),
        `offset ${start}`,
      );
      const before = await appliedCount();
      // A referral the read model refuses with a passing fault (a full disk: SQLSTATE 53100)
      // until the trigger is dropped. (A refusal of the value itself would be quarantined: see
      // quarantine.int-spec.ts.)
      const refused = randomUUID();
      await pool.query(`
        CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.referral_id = '${refused}' THEN
            RAISE EXCEPTION 'could not extend file' USING ERRCODE = 'disk_full';
          END IF;
          RETURN NEW;
        END $$`);
      await pool.query(
        'CREATE TRIGGER refuse_one BEFORE INSERT OR UPDATE ON referral_views FOR EACH ROW EXECUTE FUNCTION refuse_one()',
      );
      // Its group waits for the partition's offset row while the records after it are fetched:
      // they are handed over before the refused group fails.
      await lock.query('BEGIN');
      await lock.query('SELECT 1 FROM projector_offsets WHERE topic = $1 FOR UPDATE', [
        topics.events,
      ]);
      await produce(1, [refused]);
      await new Promise((r) => setTimeout(r, 500));
      const after = await produce(3);
      await new Promise((r) => setTimeout(r, 500));
      await lock.query('COMMIT');

      // Tried again and again; nothing behind it is applied meanwhile.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await storedOffset()).toBe(start);
      expect(await viewsOf(after)).toBe(0);
      expect((await appliedCount()) - before).toBe(0);

      await pool.query('DROP TRIGGER refuse_one ON referral_views');
      await eventually(
        async () => ((await storedOffset()) === start + 4 ? true : undefined),
        `offset ${start + 4}`,
      );
      expect(await viewsOf([refused, ...after])).toBe(4);
      expect((await appliedCount()) - before).toBe(4);
    } finally {
      await lock.query('ROLLBACK').catch(() => undefined);
      lock.release();
      await consumer.onApplicationShutdown();
      await pool.query('DROP TRIGGER IF EXISTS refuse_one ON referral_views');
      await pool.query('DROP FUNCTION IF EXISTS refuse_one()');
    }
  });

  it('skips records Kafka no longer has (retention), and applies the ones after them', async () => {
    // A topic of its own, whose first records are deleted before the projector ever reads it.
    const own = testConfig(database.url);
    const ownTopics = new TopicNames(own.topicPrefix);
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [{ topic: ownTopics.events, numPartitions: 1 }],
        waitForLeaders: true,
      });
      const ids = await produce(5, undefined, ownTopics.events);
      await admin.fetchTopicMetadata({ topics: [ownTopics.events] }); // the leader, for the delete
      await admin.deleteTopicRecords({
        topic: ownTopics.events,
        partitions: [{ partition: 0, offset: '3' }],
      });

      const consumer = new ProjectorConsumer(kafka, ownTopics, pool, pipelinedPool, own);
      await consumer.onApplicationBootstrap();
      try {
        await eventually(async () => {
          const { rows } = await pool.query<{ next_offset: string }>(
            'SELECT next_offset::text AS next_offset FROM projector_offsets WHERE topic = $1',
            [ownTopics.events],
          );
          return rows[0]?.next_offset === '5' ? true : undefined;
        }, 'offset 5');
      } finally {
        await consumer.onApplicationShutdown();
      }
      expect(await viewsOf(ids.slice(3))).toBe(2);
      expect(await viewsOf(ids.slice(0, 3))).toBe(0);
    } finally {
      await admin.disconnect();
    }
  });
});
