// Personal data leaves Kafka on a schedule (issue 22, item 4), driven as agency systems and an
// operator would: a referral's personal data reaches the command, outcome, inbox, event and
// dead-letter topics; once its subject is erased and the retention has passed, none of it is
// left on any topic, read from the earliest offset. The dead letters' copies in the console
// that name the subject go at the erasure, the others after their own retention.
//
// Short retentions, and a broker of its own that checks retention every second (a broker's
// default is every five minutes, and the shared test broker cannot be changed while it runs).
import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { loadRetentionConfig } from '@backbone/config';
import { DEMO_API_KEYS } from '@backbone/directory';
import { RunningKafka, startLocalKafka } from '../../infra/kafka/local-kafka-broker';
import { BackboneUnderTest } from '../support/backbone-under-test';
import { eventually } from '../support/eventually';
import { makeReferralCommand } from '../support/referral-commands';
import { offsetsOf, recordsStillOn } from '../support/topic-contents';
import { WatchedRecord } from '../support/topic-watcher';
import { eraseCommand } from '../support/operator-commands';

const GP = 'redbridge-gp-team';
const SOCIAL = 'redbridge-adult-social-care';
const OPERATOR = 'demo-ops-team';

/** Every topic class keeps records this long, in segments rolled at least this often. */
const TOPIC_RETENTION_MS = 15_000;
const SEGMENT_MS = 5_000;
/** The console keeps dead letters' copies this long. */
const COPY_RETENTION_MS = 40_000;
/** The bound the README states (retention, segment roll, a check every second), and room. */
const GONE_WITHIN_MS = TOPIC_RETENTION_MS + SEGMENT_MS + 1_000 + 60_000;

/** Plaintext values unique to this run: finding any of them on a topic is personal data left. */
const marker = randomBytes(4).toString('hex');
const PERSONAL = {
  identifier: `94${marker}17`,
  given: `Ottilie${marker}`,
  family: `Quist${marker}`,
  reason: `Fell twice at home this month ${marker}`,
  actor: `Nurse Agnes ${marker}`,
  note: `Daughter visits on Tuesdays ${marker}`,
};
const IDENTIFIER = { system: 'uk-nhs', value: PERSONAL.identifier };

interface DeadLetterList {
  items: { deadLetterId: string; bytes: number }[];
}

describe('personal data leaving Kafka after erasure and retention', () => {
  let broker: RunningKafka;
  let backbone: BackboneUnderTest;
  let referralId: string;
  let subjectId: string;
  /** Everything about the subject: its plaintext, its pseudonymous id and its referral's id. */
  const mentions = (text: string | null): boolean =>
    !!text &&
    [...Object.values(PERSONAL), subjectId, referralId].some((value) => text.includes(value));

  beforeAll(async () => {
    broker = await startLocalKafka({
      // The first check too: a broker waits 30 s after starting by default.
      settings: { 'log.retention.check.interval.ms': '1000', 'log.initial.task.delay.ms': '1000' },
      heapMiB: 384,
    });
    const ms = String(TOPIC_RETENTION_MS);
    backbone = await BackboneUnderTest.start(
      (topics) => [
        topics.events,
        topics.deadLetter,
        ...[GP, SOCIAL].flatMap((agency) => topics.forAgency(agency)),
      ],
      {
        kafkaBrokers: broker.brokers,
        retention: loadRetentionConfig({
          KAFKA_RETENTION_COMMANDS_MS: ms,
          KAFKA_RETENTION_OUTCOMES_MS: ms,
          KAFKA_RETENTION_INBOX_MS: ms,
          KAFKA_RETENTION_EVENTS_MS: ms,
          KAFKA_RETENTION_DEAD_LETTER_MS: ms,
          KAFKA_SEGMENT_MS: String(SEGMENT_MS),
          DEAD_LETTER_COPY_RETENTION_MS: String(COPY_RETENTION_MS),
        }),
      },
    );
  });
  afterAll(async () => {
    await backbone?.stop();
    await broker?.stop();
  });

  const deadLetters = async (): Promise<DeadLetterList['items']> =>
    (
      (await (
        await backbone.http('/ops/api/dead-letters?all=true', DEMO_API_KEYS[OPERATOR])
      ).json()) as DeadLetterList
    ).items;
  const purgedCount = async (reason: string): Promise<number> => {
    const text = await (await backbone.http('/metrics', DEMO_API_KEYS[OPERATOR])).text();
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`backbone_dead_letters_purged_total{reason="${reason}"}`));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  const onTopic = (topic: string, match: (record: WatchedRecord) => boolean, what: string) =>
    backbone.watcher.waitFor((r) => r.topic === topic && match(r), what);

  it('leaves nothing of an erased person on any topic once the retention has passed', async () => {
    const topics = backbone.topics;
    // A referral with personal data, over Kafka as an agency system sends it.
    const make = makeReferralCommand(GP, SOCIAL, { actor: PERSONAL.actor });
    referralId = make.subject;
    Object.assign(make.data, {
      category: 'adult-social-care',
      reason: PERSONAL.reason,
      subject: {
        identifiers: [IDENTIFIER],
        name: { given: PERSONAL.given, family: PERSONAL.family },
      },
    });
    await backbone.sendCommand(GP, JSON.stringify(make), referralId);
    const made = await onTopic(
      topics.inbox(SOCIAL),
      (r) => r.json?.type === 'referral.made.v1' && r.json?.subject === referralId,
      'the referral in the receiver’s inbox',
    );
    subjectId = (made.json?.data as { subjectId: string }).subjectId;
    await onTopic(topics.outcomes(GP), (r) => mentions(r.value), 'the outcome, with the actor');
    await onTopic(topics.events, (r) => mentions(r.value), 'the event, with the subject id');

    // Dead letters: two that name the person (by identifier; by their referral, in JSON cut
    // short), one that names nobody.
    const noId = {
      type: 'referral.make.v1',
      data: { referralId, subject: { identifiers: [IDENTIFIER] } },
    };
    await backbone.sendCommand(GP, JSON.stringify(noId));
    const cut = `{"type":"referral.note.v1","data":{"referralId":"${referralId}","text":"${PERSONAL.note}"`;
    await backbone.sendCommand(SOCIAL, cut);
    await backbone.sendCommand(GP, `garbage ${randomUUID()}`);
    const copied = await eventually(async () => {
      const items = await deadLetters();
      return items.length === 3 ? items : undefined;
    }, 'three dead letters copied into the console');
    await onTopic(topics.deadLetter, (r) => r.value?.includes(PERSONAL.note) ?? false, 'a note');

    // Before: the person's data is on every class of topic.
    const about = () => backbone.watcher.records.filter((r) => mentions(r.value));
    const topicsWithThem = new Set(about().map((r) => r.topic));
    expect([...topicsWithThem].sort()).toEqual(
      [
        topics.commands(GP),
        topics.commands(SOCIAL),
        topics.outcomes(GP),
        topics.inbox(GP),
        topics.inbox(SOCIAL),
        topics.events,
        topics.deadLetter,
      ].sort(),
    );
    const plaintextOn = new Set(
      about()
        .filter((r) => Object.values(PERSONAL).some((value) => r.value?.includes(value)))
        .map((r) => r.topic),
    );
    expect(plaintextOn.has(topics.inbox(SOCIAL))).toBe(true);
    expect(plaintextOn.has(topics.commands(GP))).toBe(true);

    // The subject is erased; the dead letters' copies that name them go with them.
    const erasureCounted = await purgedCount('erasure');
    const erase = await backbone.http('/v1/operator/commands', DEMO_API_KEYS[OPERATOR], {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(eraseCommand(subjectId, OPERATOR)),
    });
    expect(erase.status).toBe(200);
    const erasedAt = Date.now();
    const left = await deadLetters();
    expect(left).toHaveLength(1);
    expect(copied.map((item) => item.deadLetterId)).toContain(left[0].deadLetterId);
    expect(await purgedCount('erasure')).toBe(erasureCounted + 2);

    // After the retention: every record that mentioned them is before its partition's earliest
    // offset, deleted by the broker.
    const kafka = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING });
    const written = about();
    const writtenTo = new Set(written.map((r) => r.topic));
    /** When each topic was seen without them, after the last record about them was appended. */
    const goneAfterLastWrite = new Map<string, number>();
    await eventually(
      async () => {
        for (const topic of writtenTo) {
          if (goneAfterLastWrite.has(topic)) continue;
          const offsets = await offsetsOf(kafka, topic);
          const onTopic = written.filter((r) => r.topic === topic);
          const kept = onTopic.filter(
            (r) =>
              BigInt(r.offset) >= (offsets.find((o) => o.partition === r.partition)?.low ?? 0n),
          );
          if (!kept.length)
            goneAfterLastWrite.set(
              topic,
              Date.now() - Math.max(...onTopic.map((r) => r.timestamp)),
            );
        }
        return goneAfterLastWrite.size === writtenTo.size ? true : undefined;
      },
      'every record about them deleted',
      GONE_WITHIN_MS,
    );
    const goneAfterMs = Date.now() - erasedAt;
    // Read as any client could, from the earliest offset: nothing of them, anywhere.
    for (const topic of [
      topics.events,
      topics.deadLetter,
      ...[GP, SOCIAL].flatMap((agency) => topics.forAgency(agency)),
    ]) {
      const remaining = await recordsStillOn(broker.brokers, topic);
      expect({ topic, about: remaining.filter((r) => mentions(r.value)) }).toEqual({
        topic,
        about: [],
      });
    }

    // The copy that named nobody goes after the copies' own retention.
    const retentionCounted = await purgedCount('retention');
    await eventually(
      async () => ((await deadLetters()).length === 0 ? true : undefined),
      'the last dead letter’s copy purged',
      COPY_RETENTION_MS + 60_000,
    );
    expect(await purgedCount('retention')).toBe(retentionCounted + 1);
    process.stdout.write(
      [
        `\nretention ${TOPIC_RETENTION_MS} ms, segments ${SEGMENT_MS} ms, checked every 1000 ms:`,
        `everything about the erased subject was gone from Kafka ${goneAfterMs} ms after the erasure;`,
        ...[...goneAfterLastWrite].map(
          ([topic, ms]) =>
            `  ${topic}: gone ${ms} ms after the last record about them was appended`,
        ),
      ].join('\n') + '\n',
    );
  });
});
