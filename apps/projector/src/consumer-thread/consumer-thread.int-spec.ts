// The projector's consumer in a worker thread: it applies events with connections of its own,
// its metrics and log lines reach the main thread's `/metrics` and log, a thread that ends is
// started again from the stored offsets, and a stop ends it after its consumer left the group.
import { randomUUID } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { register } from 'prom-client';
import { TopicNames } from '@backbone/contracts';
import { CONSUMER_GROUPS, createKafka } from '@backbone/messaging';
import { gatherMetrics, rootLogger, tapLogs } from '@backbone/observability';
import { eventually } from '@backbone/testing/eventually';
import { publishReferralsMade, referralMade } from '@backbone/testing/published-referrals';
import { TestDatabase, createTestDatabase, testConfig } from '@backbone/testing/test-stack';
import { ConsumerThread } from './consumer-thread';

describe('the projector consumer thread', () => {
  let database: TestDatabase;
  let pool: Pool;
  let settings: ReturnType<typeof testConfig>;
  let topics: TopicNames;
  let groupId: string;
  let lines: string[];
  let stopTap: () => void;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new Pool({ connectionString: database.url, max: 2 });
    settings = testConfig(database.url);
    topics = new TopicNames(settings.topicPrefix);
    groupId = CONSUMER_GROUPS.projector(settings.topicPrefix, 'referral-views');
    const admin = createKafka(settings.kafkaBrokers, 'consumer-thread-test').admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: topics.events, numPartitions: 1 }],
      waitForLeaders: true,
    });
    await admin.disconnect();
  });
  const levelBefore = rootLogger.level;
  beforeEach(() => {
    // The thread takes this thread's level as it starts: its start is logged at info.
    rootLogger.level = 'info';
    lines = [];
    stopTap = tapLogs((line) => lines.push(line), { muteStdout: true });
  });
  afterEach(() => {
    stopTap();
    rootLogger.level = levelBefore;
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  const produce = (count: number) =>
    publishReferralsMade(settings.kafkaBrokers, topics.events, count);
  const storedOffset = async (): Promise<number | undefined> => {
    const { rows } = await pool.query<{ next_offset: string }>(
      'SELECT next_offset::text AS next_offset FROM projector_offsets WHERE topic = $1',
      [topics.events],
    );
    return rows[0] && Number(rows[0].next_offset);
  };
  const reachesOffset = (offset: number, timeoutMs?: number) =>
    eventually(
      async () => ((await storedOffset()) === offset ? true : undefined),
      `offset ${offset}`,
      timeoutMs,
    );
  const viewCount = async (): Promise<number> =>
    (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM referral_views')).rows[0].n;
  const logged = (message: string) => lines.filter((line) => line.includes(message));
  /** The thread's worker, which a test ends as a crash would. */
  const workerOf = (thread: ConsumerThread): Worker | undefined =>
    (thread as unknown as { worker?: Worker }).worker;

  it('applies events on its own thread; its metrics and log lines reach this thread', async () => {
    const thread = new ConsumerThread(settings);
    await thread.onApplicationBootstrap();
    try {
      const ids = await produce(5);
      await reachesOffset(5);
      expect(await viewCount()).toBe(ids.length);

      // Counted in the worker's registry, not this thread's; `/metrics` shows them merged in.
      expect(register.getSingleMetric('projector_events_applied_total')).toBeUndefined();
      const metrics = await gatherMetrics();
      expect(metrics).toContain('projector_events_applied_total{model="referral-views"} 5');
      expect(metrics).toMatch(/^projector_lag_events \d+$/m);
      expect(metrics).toMatch(/^projector_event_lag_seconds_count 5$/m);

      const started = logged('projector consumer running in its own thread');
      expect(started).toHaveLength(1);
      expect(JSON.parse(started[0]).threadId).toBe(workerOf(thread)?.threadId);
    } finally {
      await thread.onApplicationShutdown();
    }
    // The thread is gone, and with it its metrics.
    expect(workerOf(thread)).toBeUndefined();
    expect(await gatherMetrics()).not.toContain('projector_events_applied_total');
  });

  it('quarantines an event it cannot apply on its thread too; its metrics and log line reach this thread', async () => {
    const thread = new ConsumerThread(settings);
    await thread.onApplicationBootstrap();
    try {
      const start = (await storedOffset()) ?? 0;
      const hostile = referralMade(randomUUID());
      hostile.data.decisionDueBy = '2099-02-31T00:00:00Z';
      const producer = new Kafka({
        brokers: settings.kafkaBrokers,
        logLevel: logLevel.NOTHING,
      }).producer();
      await producer.connect();
      await producer.send({
        topic: topics.events,
        messages: [referralMade(randomUUID()), hostile, referralMade(randomUUID())].map((e) => ({
          key: `referral-${e.subject}`,
          value: JSON.stringify(e),
        })),
      });
      await producer.disconnect();
      await reachesOffset(start + 3);
      const { rows } = await pool.query(
        "SELECT event_id FROM quarantined_events WHERE consumer = 'projector'",
      );
      expect(rows).toEqual([{ event_id: hostile.id }]);
      const metrics = await gatherMetrics();
      expect(metrics).toContain('backbone_events_quarantined_total{consumer="projector"} 1');
      expect(metrics).toContain('backbone_quarantined_events{consumer="projector"} 1');
      const quarantined = logged('event quarantined');
      expect(quarantined).toHaveLength(1);
      expect(JSON.parse(quarantined[0])).toMatchObject({ level: 50, eventId: hostile.id });
      expect(quarantined[0]).not.toContain('2099');
    } finally {
      await thread.onApplicationShutdown();
    }
  });

  it('starts a thread that ended again, which goes on from the stored offsets', async () => {
    const thread = new ConsumerThread(settings);
    await thread.onApplicationBootstrap();
    try {
      const first = workerOf(thread);
      await first?.terminate();
      expect(logged('the projector thread ended; starting it again')).toHaveLength(1);

      const [offsetBefore, viewsBefore] = [(await storedOffset()) ?? 0, await viewCount()];
      await produce(3);
      // The ended thread's consumer could not leave the group: the broker waits out its session
      // (kafkajs's default, 30 s) before the new one is given the partition.
      await reachesOffset(offsetBefore + 3, 90_000);
      expect(await viewCount()).toBe(viewsBefore + 3);
      expect(workerOf(thread)?.threadId).not.toBe(first?.threadId);
      // The new thread applied only the three new records: those before were not redone.
      await eventually(
        async () =>
          (await gatherMetrics()).includes(
            'projector_events_applied_total{model="referral-views"} 3',
          )
            ? true
            : undefined,
        'the new thread counting three events',
      );
    } finally {
      await thread.onApplicationShutdown();
    }
  });

  it('stops its consumer, which leaves the group, before the thread ends', async () => {
    const thread = new ConsumerThread(settings);
    await thread.onApplicationBootstrap();
    const worker = workerOf(thread);
    let exitCode: number | undefined;
    worker?.once('exit', (code) => (exitCode = code));
    await thread.onApplicationShutdown();
    expect(exitCode).toBe(0);
    expect(logged('did not stop in time')).toEqual([]);

    const admin = createKafka(settings.kafkaBrokers, 'consumer-thread-test').admin();
    await admin.connect();
    try {
      const { groups } = await admin.describeGroups([groupId]);
      expect(groups[0].members).toEqual([]);
    } finally {
      await admin.disconnect();
    }
  });

  // Last: the ended thread's member stays in the group until its session runs out, and would
  // hold up a test after it that joins the group.
  it('starts no thread again once the service stops', async () => {
    const thread = new ConsumerThread(settings);
    await thread.onApplicationBootstrap();
    await workerOf(thread)?.terminate(); // a restart is now due in a second
    await thread.onApplicationShutdown();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(workerOf(thread)).toBeUndefined();
    expect(logged('projector consumer running in its own thread')).toHaveLength(1);
  });
});
