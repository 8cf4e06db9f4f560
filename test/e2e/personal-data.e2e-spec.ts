// Personal data through the whole backbone, driven as agency systems and an operator would:
// the parties get plaintext on their own inbox topics; the event store, `referrals.events` and
// the logs never hold it; erasure destroys it everywhere at once and stops new personal data.
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DEMO_API_KEYS } from '@backbone/directory';
import { isSealed } from '@backbone/data-protection';
import { rootLogger, tapLogs } from '@backbone/observability';
import { BackboneUnderTest } from '../support/backbone-under-test';
import { commandFrom, makeReferralCommand } from '../support/referral-commands';
import { WatchedRecord } from '../support/topic-watcher';
import { eraseCommand } from '../support/operator-commands';

const GP = 'redbridge-gp-team';
const SOCIAL = 'redbridge-adult-social-care';
const HOUSING = 'redbridge-housing';
const OPERATOR = 'demo-ops-team';

/** Plaintext values unique to this run, so finding any of them anywhere is a leak. */
const marker = randomBytes(4).toString('hex');
const PERSONAL = {
  given: `Ottilie${marker}`,
  family: `Quist${marker}`,
  identifier: `94${marker}17`,
  reason: `Fell twice at home this month ${marker}`,
  actor: `Nurse Agnes ${marker}`,
  assignee: `Social worker Bo ${marker}`,
  note: `Daughter visits on Tuesdays ${marker}`,
  handoverReason: `Needs adapted housing ${marker}`,
  summary: `Lives alone, uses a walker ${marker}`,
  rejectedReason: `Never stored ${marker}`,
};
const leaksIn = (text: string): string[] =>
  Object.values(PERSONAL).filter((value) => text.includes(value));

describe('personal data', () => {
  let backbone: BackboneUnderTest;
  const logLines: string[] = [];
  let stopTap: () => void;
  const levelBefore = rootLogger.level;
  let referralId: string;
  let subjectId: string;

  beforeAll(async () => {
    // Everything the backbone logs, at its most talkative, is checked for plaintext.
    rootLogger.level = 'debug';
    stopTap = tapLogs((line) => logLines.push(line), { muteStdout: true });
    backbone = await BackboneUnderTest.start((topics) => [
      topics.events,
      topics.deadLetter,
      ...[GP, SOCIAL, HOUSING].flatMap((agency) => [topics.inbox(agency), topics.outcomes(agency)]),
    ]);
  });
  afterAll(async () => {
    await backbone?.stop();
    stopTap?.();
    rootLogger.level = levelBefore;
  });

  const send = async (agency: string, command: object, apiKey = DEMO_API_KEYS[agency]) => {
    const response = await backbone.http('/v1/commands', apiKey, {
      method: 'POST',
      body: JSON.stringify(command),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const operatorCommand = async (command: object, apiKey = DEMO_API_KEYS[OPERATOR]) => {
    const response = await backbone.http('/v1/operator/commands', apiKey, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(command),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const onTopic = (topic: string, type: string, subject?: string): Promise<WatchedRecord> =>
    backbone.watcher.waitFor(
      (r) =>
        r.topic === topic && r.json?.type === type && (!subject || r.json?.subject === subject),
      `${type} on ${topic}`,
    );

  it('gives the parties plaintext on their own inboxes and nobody else any', async () => {
    const make = makeReferralCommand(GP, SOCIAL, { actor: PERSONAL.actor });
    referralId = make.subject;
    Object.assign(make.data, {
      category: 'adult-social-care',
      reason: PERSONAL.reason,
      subject: {
        identifiers: [{ system: 'uk-nhs', value: PERSONAL.identifier }],
        name: { given: PERSONAL.given, family: PERSONAL.family },
        birthDate: '1941-03-09',
      },
    });
    await backbone.sendCommand(GP, JSON.stringify(make), referralId); // over Kafka
    const made = await onTopic(backbone.topics.inbox(SOCIAL), 'referral.made.v1', referralId);
    const data = made.json?.data as Record<string, unknown>;
    expect(data.reason).toBe(PERSONAL.reason);
    expect(data.subject).toMatchObject({
      name: { given: PERSONAL.given, family: PERSONAL.family },
    });
    expect(made.json?.actor).toBe(PERSONAL.actor);
    subjectId = data.subjectId as string;

    expect(
      (
        await send(
          SOCIAL,
          commandFrom(SOCIAL, 'referral.acknowledge.v1', referralId, { referralId }),
        )
      ).status,
    ).toBe(200);
    const accept = commandFrom(SOCIAL, 'referral.accept.v1', referralId, {
      referralId,
      assignee: PERSONAL.assignee,
    });
    expect((await send(SOCIAL, accept)).status).toBe(200);
    const note = commandFrom(SOCIAL, 'referral.note.v1', referralId, {
      referralId,
      text: PERSONAL.note,
    });
    await backbone.sendCommand(SOCIAL, JSON.stringify(note), referralId);
    const accepted = await onTopic(
      backbone.topics.inbox(SOCIAL),
      'referral.accepted.v1',
      referralId,
    );
    const caseId = (accepted.json?.data as { caseId: string }).caseId;
    const propose = commandFrom(SOCIAL, 'case.handover.propose.v1', caseId, {
      caseId,
      handoverId: randomUUID(),
      to: HOUSING,
      reason: PERSONAL.handoverReason,
      summary: PERSONAL.summary,
    });
    expect((await send(SOCIAL, propose)).status).toBe(200);
    const proposed = await onTopic(
      backbone.topics.inbox(HOUSING),
      'case.handover-proposed.v1',
      caseId,
    );
    expect(proposed.json?.data).toMatchObject({ summary: PERSONAL.summary });
    await onTopic(backbone.topics.inbox(SOCIAL), 'referral.noted.v1', referralId);

    // A rejected command's personal data goes nowhere either.
    const rejected = makeReferralCommand(GP, SOCIAL);
    Object.assign(rejected.data, { category: 'not-a-category', reason: PERSONAL.rejectedReason });
    expect((await send(GP, rejected)).status).toBe(422);

    // The database holds only ciphertext: events, and the command log's outcomes.
    const client = new Client({ connectionString: backbone.config.databaseUrl });
    await client.connect();
    try {
      const events = await client.query('SELECT data::text, metadata::text FROM events');
      expect(events.rows.length).toBeGreaterThanOrEqual(6);
      const outcomes = await client.query('SELECT outcome::text FROM command_log');
      expect(outcomes.rows.length).toBeGreaterThanOrEqual(6);
      expect(leaksIn(JSON.stringify([events.rows, outcomes.rows]))).toEqual([]);
    } finally {
      await client.end();
    }
    // `referrals.events` carries the sealed values; the dead-letter topic nothing personal.
    const published = await onTopic(backbone.topics.events, 'case.handover-proposed.v1', caseId);
    expect(isSealed((published.json?.data as Record<string, unknown>).summary)).toBe(true);
    const shared = backbone.watcher.records.filter(
      (r) => r.topic === backbone.topics.events || r.topic === backbone.topics.deadLetter,
    );
    expect(shared.length).toBeGreaterThanOrEqual(6);
    expect(leaksIn(JSON.stringify(shared))).toEqual([]);
    // The referrer's own outcomes topic gives its own actor back (CONTRACT §3).
    const outcome = await onTopic(backbone.topics.outcomes(GP), 'command.accepted', referralId);
    expect(outcome.json?.actor).toBe(PERSONAL.actor);
  });

  it('erases on an operator command: new personal data is refused, the rest goes on', async () => {
    expect(
      (await operatorCommand(eraseCommand(subjectId, OPERATOR), DEMO_API_KEYS[GP])).status,
    ).toBe(403);
    expect((await operatorCommand(eraseCommand(subjectId, OPERATOR), 'not-a-key')).status).toBe(
      401,
    );
    const wrongOperator = { ...eraseCommand(subjectId, OPERATOR), source: 'operator/someone-else' };
    expect((await operatorCommand(wrongOperator)).body).toMatchObject({ code: 'FORBIDDEN' });

    const command = eraseCommand(subjectId, OPERATOR);
    const erased = await operatorCommand(command);
    expect(erased).toMatchObject({
      status: 200,
      body: { type: 'command.accepted', data: { commandId: command.id } },
    });
    expect(await operatorCommand(command)).toMatchObject({
      status: 200,
      body: { data: erased.body.data },
    });
    expect((await operatorCommand(eraseCommand(subjectId, OPERATOR))).body).toMatchObject({
      code: 'INVALID_TRANSITION',
    });
    await onTopic(backbone.topics.events, 'subject.erased.v1', subjectId);

    const note = commandFrom(SOCIAL, 'referral.note.v1', referralId, {
      referralId,
      text: 'after erasure',
    });
    const refused = await send(SOCIAL, note);
    expect(refused).toMatchObject({ status: 409, body: { code: 'INVALID_TRANSITION' } });
    const start = commandFrom(SOCIAL, 'referral.start.v1', referralId, { referralId });
    expect((await send(SOCIAL, start)).status).toBe(200);
    await onTopic(backbone.topics.inbox(SOCIAL), 'referral.started.v1', referralId);
    const view = await backbone.http(`/v1/referrals/${referralId}`, DEMO_API_KEYS[SOCIAL]);
    expect(view.status).toBe(200);
  });

  it('takes a new referral about the erased person, as about someone new', async () => {
    // Erasure unlinked the identifier: referred again, the person gets a new subject.
    const make = makeReferralCommand(GP, SOCIAL);
    Object.assign(make.data, {
      category: 'adult-social-care',
      subject: { identifiers: [{ system: 'uk-nhs', value: PERSONAL.identifier }] },
    });
    const answer = await send(GP, make);
    expect(answer).toMatchObject({ status: 200, body: { type: 'command.accepted' } });
    const made = await onTopic(backbone.topics.inbox(SOCIAL), 'referral.made.v1', make.subject);
    const data = made.json?.data as Record<string, unknown>;
    expect(data.subjectId).toEqual(expect.stringMatching(/^subj-/));
    expect(data.subjectId).not.toBe(subjectId);
    expect(data.reason).toBe(make.data.reason);
  });

  it('never wrote any of the personal data to the logs', () => {
    expect(logLines.length).toBeGreaterThan(20);
    expect(leaksIn(logLines.join(''))).toEqual([]);
  });
});
