// A broker of a three-node cluster lost under load: first killed (SIGKILL), then cut off
// (SIGSTOP: it stops answering while its sockets stay open, as a hung host does). Agencies keep
// sending commands at a steady pace throughout; the backbone must keep answering once the
// partitions' leaders have moved, and afterwards every command has exactly one outcome, every
// stored event is on `referrals.events` and on its parties' inboxes, and the read models are
// exact. The figures printed are what agencies saw: the longest gap between outcomes.
import { Kafka, Producer, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { BackboneConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { loadDirectory } from '@backbone/directory';
import {
  CONSUMER_GROUPS,
  acknowledgingProducer,
  messagingMetrics,
  prepareTopics,
} from '@backbone/messaging';
import {
  RunningKafkaCluster,
  startLocalKafkaCluster,
} from '../../../infra/kafka/local-kafka-cluster';
import { AppChild } from '../../support/faults/app-child';
import {
  PARTIES,
  PipelineTally,
  SENDERS,
  SentCommand,
  expectInboxesComplete,
  expectNothingLostNothingForged,
  outageFigures,
  sendReferrals,
} from '../../support/faults/pipeline-load';
import { eventually } from '../../support/eventually';
import { TestDatabase, createTestDatabase, testConfig } from '../../support/test-stack';
import { TopicWatcher } from '../../support/topic-watcher';

const COMMANDS = 300;
/** The fault strikes once this many commands are answered: load before, during and after. */
const FAULT_AFTER = 80;
const SLOW = 300_000;
/** The backbone's warning that a producer left records of an acknowledged send unsent. */
const RESENT = /left records of an acknowledged send unsent/;

// Until 2026-12-06 this test lost records in most runs: kafkajs 2.2.4 can resolve a send whose
// records span brokers with some never written, when a partition's leadership moves during the
// send (kafkajs issue 1303). Commands vanished from the agencies' sends, inbox copies and events
// from the publisher's. Every producer here, the agencies' too, now checks each answer and sends
// again what it leaves out (libs/messaging/src/acknowledged-sends.ts); a run prints how often.
describe('a broker lost under load (three-broker cluster)', () => {
  let cluster: RunningKafkaCluster;
  let database: TestDatabase;
  let config: BackboneConfig;
  let topics: TopicNames;
  let pool: Pool;
  let kafka: Kafka;
  let producer: Producer;
  let watcher: TopicWatcher;
  let backbone: AppChild;
  /** Every command of the file's tests: the store and read models hold them all. */
  const allSent: SentCommand[] = [];

  beforeAll(async () => {
    cluster = await startLocalKafkaCluster();
    process.stdout.write(`three-broker cluster up in ${cluster.startedInMs} ms\n`);
    database = await createTestDatabase();
    config = testConfig(database.url, { kafkaBrokers: cluster.brokers });
    topics = new TopicNames(config.topicPrefix);
    await prepareTopics(config, loadDirectory(undefined));
    pool = new Pool({ connectionString: config.databaseUrl, max: 2 });
    kafka = new Kafka({ brokers: cluster.brokers, logLevel: logLevel.NOTHING });
    // The agencies' producer: kafkajs's own can drop records when a broker is lost (see
    // acknowledged-sends.ts), and an agency that lost its command would wait for ever.
    producer = acknowledgingProducer(kafka, { idempotent: true });
    await producer.connect();
    watcher = await TopicWatcher.start(cluster.brokers, watchedTopics());
    backbone = await AppChild.start({ app: 'sector-service,publisher,projector', config });
    backbone.countLines(RESENT);
  }, SLOW);

  afterAll(async () => {
    await backbone?.kill();
    await watcher?.stop();
    await producer?.disconnect();
    await pool?.end();
    await database?.drop();
    await cluster?.stop();
  }, SLOW);

  /** What the checks read: the events, the senders' outcomes and the parties' inboxes. */
  const watchedTopics = (): string[] => [
    topics.events,
    ...SENDERS.map((sender) => topics.outcomes(sender)),
    ...PARTIES.map((party) => topics.inbox(party)),
  ];

  /** The node leading the first partition of `referrals.events`: losing it moves leaders. */
  const leaderOfEvents = async (): Promise<number> => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const {
        topics: [described],
      } = await admin.fetchTopicMetadata({ topics: [topics.events] });
      return described.partitions.find((p) => p.partitionId === 0)?.leader as number;
    } finally {
      await admin.disconnect();
    }
  };

  /** The agencies' producer runs in this process: its resends are in this process's metrics. */
  const agencyRecordsResent = async (): Promise<number> =>
    (await messagingMetrics.recordsResent.get()).values[0]?.value ?? 0;

  /** How many of `sent` have an outcome so far (each counted once). */
  const answeredSoFar = (sent: Set<string>): number =>
    new Set(
      watcher.records
        .filter((r) => r.topic.startsWith(topics.outcomes('')))
        .map((r) => String(r.json?.causationid))
        .filter((id) => sent.has(id)),
    ).size;

  /** What a failed run leaves to go on: how far each stage got, and the backbone's own log. */
  const explainFailure = async (sent: SentCommand[]): Promise<void> => {
    const { rows } = await pool.query<{ made: string; events: string; published: string }>(`
        SELECT (SELECT count(*) FROM events WHERE event_type = 'referral.made.v1') AS made,
               (SELECT count(*) FROM events) AS events,
               (SELECT string_agg(name || '=' || global_position, ', ') FROM checkpoints) AS published`);
    // Where the command intake's group stands against each command partition's end: behind
    // means it stopped reading; level with an unanswered command means it skipped one.
    const admin = kafka.admin();
    await admin.connect();
    const intake: string[] = [];
    try {
      const groupId = CONSUMER_GROUPS.commandIntake(config.topicPrefix, undefined);
      const committed = await admin.fetchOffsets({
        groupId,
        topics: SENDERS.map((s) => topics.commands(s)),
      });
      for (const { topic, partitions } of committed) {
        const ends = await admin.fetchTopicOffsets(topic);
        for (const { partition, offset } of partitions) {
          const end = ends.find((e) => e.partition === partition)?.high;
          intake.push(`${topic}/${partition} committed ${offset} of ${end}`);
        }
      }
    } finally {
      await admin.disconnect();
    }
    // A second reader, from the beginning after the outage: does it see what the first missed?
    const rereader = await TopicWatcher.start(cluster.brokers, watchedTopics());
    await new Promise((resolve) => setTimeout(resolve, 20_000));
    await rereader.stop();
    const seen = (records: typeof watcher.records) =>
      new Set(records.map((r) => `${r.topic}/${r.partition}/${r.offset}`));
    const first = seen(watcher.records);
    const missed = [...seen(rereader.records)].filter((at) => !first.has(at));
    process.stdout.write(
      `REREAD: ${rereader.records.length} records; the watcher missed ${missed.length}: ${missed.slice(0, 20).join(' ')}\n`,
    );
    const answered = new Set(
      watcher.records
        .filter((r) => r.topic.startsWith(topics.outcomes('')))
        .map((r) => String(r.json?.causationid)),
    );
    const unanswered = sent.filter(({ id }) => !answered.has(id));
    process.stdout.write(
      `FAILED RUN: unanswered ${JSON.stringify(unanswered)}; intake ${intake.join('; ')}\n` +
        `${sent.length} sent, ${sent.length - unanswered.length} answered, ` +
        `${watcher.records.filter((r) => r.topic === topics.events).length} records on referrals.events; ` +
        `store: ${JSON.stringify(rows[0])}\nbackbone log (last 20 kB):\n${backbone.log}\n`,
    );
  };

  /**
   * Sends the load at a steady pace, strikes with `fault` once some commands are answered,
   * ends the fault with `recover` when the load is sent, and checks and prints the outcome.
   */
  const underLoad = async (
    name: string,
    fault: () => Promise<void> | void,
    recover: () => Promise<void> | void,
  ): Promise<void> => {
    const before = new Set(watcher.records.map((r) => `${r.topic}/${r.partition}/${r.offset}`));
    const sending: SentCommand[] = [];
    const loading = sendReferrals(producer, topics, COMMANDS, {
      perSend: 4,
      pauseMs: 120,
      onSent: (batch) => sending.push(...batch),
    });
    await eventually(
      async () => answeredSoFar(new Set(sending.map((c) => c.id))) >= FAULT_AFTER || undefined,
      `${FAULT_AFTER} commands answered before the fault`,
      120_000,
    );
    const faultAt = Date.now();
    await fault();
    const sent = await loading;
    // The fault lasts until the load is sent and the backbone answers again (at most 90 s
    // more): ending it sooner would let the broker's return, not the backbone, do the work.
    const sentAt = Date.now();
    const ids = new Set(sent.map((c) => c.id));
    await eventually(
      async () =>
        answeredSoFar(ids) >= sent.length ||
        outageFigures(watcher, topics, sent, sentAt, Date.now()).answeredDuringOutage > 0 ||
        undefined,
      'an answer while the broker is lost',
      90_000,
    ).catch(() => undefined);
    await recover();
    const faultEnd = Date.now();
    allSent.push(...sent);

    let tally: PipelineTally;
    let inboxCopies: number;
    try {
      tally = await expectNothingLostNothingForged(allSent, watcher, topics, pool, 180_000);
      inboxCopies = await expectInboxesComplete(watcher, topics, pool, 180_000);
    } catch (error) {
      // The check's own failure is what the run reports, whatever becomes of the explanation.
      await explainFailure(sent).catch((unexplained: unknown) =>
        process.stdout.write(`could not explain the failure: ${String(unexplained)}\n`),
      );
      throw error;
    }
    const figures = outageFigures(watcher, topics, sent, faultAt, faultEnd);
    const events = await pool.query<{ n: string }>('SELECT count(*) AS n FROM events');
    const fresh = watcher.records.filter(
      (r) => !before.has(`${r.topic}/${r.partition}/${r.offset}`),
    ).length;
    process.stdout.write(
      `${name}: ${sent.length} commands, ${figures.outcomes} outcomes (one each), ` +
        `${events.rows[0].n} stored events all on referrals.events (${tally.republished} republished) ` +
        `and ${inboxCopies} inbox copies, read model exact; ${fresh} records read; ` +
        `longest gap between outcomes ${figures.longestGapMs} ms (starting ${figures.gapStartsMs} ms after the fault), ` +
        `${figures.answeredDuringOutage} commands answered during the ${faultEnd - faultAt} ms outage; ` +
        `so far the backbone's producers completed ${backbone.linesMatching(RESENT)} sends by sending again, ` +
        `the agencies' producer resent ${await agencyRecordsResent()} records\n`,
    );
    expect(figures.answeredDuringOutage).toBeGreaterThan(0);
  };

  it(
    'keeps answering when a broker is killed, and loses nothing',
    async () => {
      const victim = cluster.members[(await leaderOfEvents()) - 1];
      await underLoad(
        `broker ${victim.nodeId} killed`,
        () => victim.kill(),
        () => victim.restart(),
      );
    },
    SLOW,
  );

  // Until 2026-12-06 the backbone did not answer again within five minutes of this fault:
  // kafkajs retries a request that timed out against the leader it knew, and looked leaders up
  // again only every five minutes. The backbone's clients now look them up every ten seconds
  // at most (LEADERS_MAX_AGE_MS in libs/messaging/src/kafka-client.ts).
  it(
    'keeps answering when a broker stops answering with its connections open, and loses nothing',
    async () => {
      const victim = cluster.members[(await leaderOfEvents()) - 1];
      await underLoad(
        `broker ${victim.nodeId} cut off (SIGSTOP)`,
        () => victim.freeze(),
        () => victim.thaw(),
      );
    },
    SLOW,
  );
});
