// Invariant 5, first half: the projector's Kafka offsets commit in the read models' own
// transaction, so records Kafka hands out again (its committed offsets lost or behind) are
// never applied twice: not even where no stream-version guard would catch them.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { register } from 'prom-client';
import { TopicNames } from '@backbone/contracts';
import { CONSUMER_GROUPS } from '@backbone/messaging';
import { eventually } from '@backbone/testing/eventually';
import { publishReferralsMade, referralMade } from '@backbone/testing/published-referrals';
import { projectorTestBed } from '@backbone/testing/projector-test-bed';
import { testConfig } from '@backbone/testing/test-stack';
import { ProjectorConsumer } from './projector.consumer';

const appliedCount = async (): Promise<number> => {
  const metric = register.getSingleMetric('projector_events_applied_total');
  const values = metric ? (await metric.get()).values : [];
  return values.find((v) => v.labels.model === 'referral-views')?.value ?? 0;
};

describe('projector offsets in PostgreSQL', () => {
  const bed = projectorTestBed('exact-redelivery', { eventPartitions: 1 });

  /** Publishes a referral.made for each id (new ones when only a count is given). */
  const produce = (count: number, ids?: string[], topic = bed.topics.events) =>
    publishReferralsMade(bed.settings.kafkaBrokers, topic, count, ids);
  const viewsOf = async (ids: string[]): Promise<number> => {
    const { rows } = await bed.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM referral_views WHERE referral_id = ANY($1::uuid[])',
      [ids],
    );
    return rows[0].n;
  };
  const storedOffset = async (): Promise<number | undefined> => {
    const { rows } = await bed.pool.query<{ next_offset: string }>(
      'SELECT next_offset::text AS next_offset FROM projector_offsets WHERE topic = $1 AND partition = 0',
      [bed.topics.events],
    );
    return rows[0] && Number(rows[0].next_offset);
  };
  const runConsumerUntil = async (offset: number): Promise<void> => {
    const consumer = bed.newConsumer();
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
    const admin = bed.kafka.admin();
    await admin.connect();
    await admin.resetOffsets({
      groupId: CONSUMER_GROUPS.projector(bed.settings.topicPrefix, 'referral-views'),
      topic: bed.topics.events,
      earliest: true,
    });
    await admin.disconnect();

    await produce(1);
    await runConsumerUntil(4);
    expect((await appliedCount()) - before).toBe(4);
    const { rows } = await bed.pool.query<{ count: string }>('SELECT count(*) FROM referral_views');
    expect(Number(rows[0].count)).toBe(4);
  });

  it('skips a record that is not JSON and applies the ones after it', async () => {
    const producer = new Kafka({
      brokers: bed.settings.kafkaBrokers,
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
    const referralId = randomUUID();
    const start = (await storedOffset()) ?? 0;
    await producer.send({
      topic: bed.topics.events,
      messages: [
        { key: 'referral-unreadable', value: 'not JSON {' },
        { key: `referral-${referralId}`, value: JSON.stringify(referralMade(referralId)) },
      ],
    });
    await producer.disconnect();
    await runConsumerUntil(start + 2);
    const { rows } = await bed.pool.query('SELECT 1 FROM referral_views WHERE referral_id = $1', [
      referralId,
    ]);
    expect(rows).toHaveLength(1);
  });

  it('applies a failed group again before anything fetched after it, skipping nothing', async () => {
    const consumer = bed.newConsumer();
    await consumer.onApplicationBootstrap();
    const lock = await bed.pool.connect();
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
      await bed.pool.query(`
        CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.referral_id = '${refused}' THEN
            RAISE EXCEPTION 'could not extend file' USING ERRCODE = 'disk_full';
          END IF;
          RETURN NEW;
        END $$`);
      await bed.pool.query(
        'CREATE TRIGGER refuse_one BEFORE INSERT OR UPDATE ON referral_views FOR EACH ROW EXECUTE FUNCTION refuse_one()',
      );
      // Its group waits for the partition's offset row while the records after it are fetched:
      // they are handed over before the refused group fails.
      await lock.query('BEGIN');
      await lock.query('SELECT 1 FROM projector_offsets WHERE topic = $1 FOR UPDATE', [
        bed.topics.events,
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

      await bed.pool.query('DROP TRIGGER refuse_one ON referral_views');
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
      await bed.pool.query('DROP TRIGGER IF EXISTS refuse_one ON referral_views');
      await bed.pool.query('DROP FUNCTION IF EXISTS refuse_one()');
    }
  });

  it('skips records Kafka no longer has (retention), and applies the ones after them', async () => {
    // A topic of its own, whose first records are deleted before the projector ever reads it.
    const own = testConfig(bed.url);
    const ownTopics = new TopicNames(own.topicPrefix);
    const admin = bed.kafka.admin();
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

      const consumer = new ProjectorConsumer(
        bed.kafka,
        ownTopics,
        bed.pool,
        bed.pipelinedPool,
        own,
      );
      await consumer.onApplicationBootstrap();
      try {
        await eventually(async () => {
          const { rows } = await bed.pool.query<{ next_offset: string }>(
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
