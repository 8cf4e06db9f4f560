// One referral end to end, driven only through the public interfaces, as an agency system
// would: a command on the sender's Kafka command topic, the outcome on its outcomes topic,
// the event on the receiver's inbox topic, and the receiver's inbox over HTTP.
import type { INestApplication } from '@nestjs/common';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { BackboneConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { DEMO_API_KEYS } from '@backbone/directory';
import { startBackbone } from '@backbone/backbone';
import { eventually } from '../support/eventually';
import { makeReferralCommand } from '../support/referral-commands';
import { TestDatabase, createTestDatabase, testConfig } from '../support/test-stack';
import { TopicWatcher } from '../support/topic-watcher';

describe('walking skeleton: a referral from a school to social services', () => {
  let database: TestDatabase;
  let config: BackboneConfig;
  let app: INestApplication;
  let baseUrl: string;
  let topics: TopicNames;
  let producer: Producer;
  let watcher: TopicWatcher;

  beforeAll(async () => {
    database = await createTestDatabase();
    config = testConfig(database.url);
    topics = new TopicNames(config.topicPrefix);
    app = await startBackbone(config, { handleSignals: false });
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const kafka = new Kafka({
      brokers: config.kafkaBrokers,
      clientId: 'randers-school-system',
      logLevel: logLevel.NOTHING,
    });
    producer = kafka.producer();
    await producer.connect();
    watcher = await TopicWatcher.start(config.kafkaBrokers, [
      topics.outcomes('randers-school'),
      topics.inbox('randers-social'),
      topics.events,
    ]);
  });

  afterAll(async () => {
    await watcher?.stop();
    await producer?.disconnect();
    await app?.close();
    await database?.drop();
  });

  const inboxOf = (agency: string, key: string) =>
    fetch(`${baseUrl}/v1/agencies/${agency}/inbox`, {
      headers: { authorization: `Bearer ${key}` },
    });

  it('answers the sender, informs the receiver and shows the referral in its inbox', async () => {
    const command = makeReferralCommand('randers-school', 'randers-social');
    await producer.send({
      topic: topics.commands('randers-school'),
      messages: [{ key: command.subject, value: JSON.stringify(command) }],
    });

    const outcome = await watcher.waitFor(
      (r) => r.topic === topics.outcomes('randers-school') && r.json?.causationid === command.id,
      'the outcome of the command',
    );
    expect(outcome.json).toMatchObject({
      specversion: '1.0',
      type: 'command.accepted',
      subject: command.subject,
      data: { commandId: command.id, streamVersion: 1 },
      // CONTRACT §3: correlationid defaults to the command id; causationid is the command id.
      correlationid: command.id,
      causationid: command.id,
      actor: command.actor,
    });
    const [eventId] = (outcome.json?.data as { events: string[] }).events;

    const inboxEvent = await watcher.waitFor(
      (r) => r.topic === topics.inbox('randers-social') && r.json?.id === eventId,
      'referral.made.v1 on the receiver inbox topic',
    );
    expect(inboxEvent.key).toBe(`referral-${command.subject}`);
    expect(inboxEvent.headers.ce_type?.toString()).toBe('referral.made.v1');
    expect(inboxEvent.json).toMatchObject({
      type: 'referral.made.v1',
      subject: command.subject,
      causationid: command.id,
      correlationid: command.id,
      actor: command.actor,
      actingagency: 'randers-school',
      streamversion: 1,
      data: {
        referralId: command.subject,
        from: 'randers-school',
        to: 'randers-social',
        priority: 'urgent',
      },
    });
    await watcher.waitFor(
      (r) => r.topic === topics.events && r.json?.id === eventId,
      'the event on referrals.events',
    );

    const listed = await eventually(async () => {
      const response = await inboxOf('randers-social', DEMO_API_KEYS['randers-social']);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { items: { referralId: string }[] };
      return body.items.find((item) => item.referralId === command.subject);
    }, 'the referral in the receiver inbox');
    expect(listed).toMatchObject({
      from: 'randers-school',
      status: 'requested',
      category: 'child-social-care',
      overdue: false,
    });
  });

  it('refuses another agency reading that inbox', async () => {
    const response = await inboxOf('randers-social', DEMO_API_KEYS['randers-school']);
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers a redelivered command with its original outcome and appends nothing', async () => {
    const command = makeReferralCommand('randers-school', 'randers-social');
    const record = { key: command.subject, value: JSON.stringify(command) };
    await producer.send({ topic: topics.commands('randers-school'), messages: [record, record] });
    await eventually(async () => {
      const outcomes = watcher.records.filter(
        (r) => r.topic === topics.outcomes('randers-school') && r.json?.causationid === command.id,
      );
      return outcomes.length === 2 ? outcomes : undefined;
    }, 'two answers to the same command').then(([first, second]) =>
      expect(second.json?.data).toEqual(first.json?.data),
    );
  });
});
