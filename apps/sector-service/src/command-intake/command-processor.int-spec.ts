// The command pipeline against the real PostgreSQL event store: one outcome per command,
// redelivery answered from the log, forged senders and bad input refused, races re-decided.
import { PersonalDataOpener, isSealed } from '@backbone/data-protection';
import { PostgresEventStore } from '@backbone/event-store';
import { makeReferralCommand } from '@backbone/testing/referral-commands';
import { freshCommandHandling } from '@backbone/testing/command-handling-app';
import { CommandProcessor, ProcessedCommand } from './command-processor';

type Answer = Extract<ProcessedCommand, { kind: 'answered' }>['outcome'];

describe('command processor', () => {
  const handling = freshCommandHandling((app) => ({
    processor: app.get(CommandProcessor),
    store: app.get(PostgresEventStore),
    opener: app.get(PersonalDataOpener),
  }));

  const send = async (command: unknown, channel = 'randers-school'): Promise<Answer> => {
    const result = await handling.processor.process(Buffer.from(JSON.stringify(command)), channel);
    if (result.kind !== 'answered') throw new Error(`not answered: ${result.reason}`);
    return result.outcome;
  };
  const eventsFor = async (referralId: string) =>
    handling.store.readStream(`referral-${referralId}`);

  it('accepts a referral and stores referral.made.v1 with who, why and for whom, personal data sealed', async () => {
    const command = makeReferralCommand('randers-school', 'randers-social');
    const outcome = await send(command);
    expect(outcome).toMatchObject({
      type: 'command.accepted',
      subject: command.subject,
      causationid: command.id,
    });
    const [made] = await eventsFor(command.subject);
    expect(outcome.data).toEqual({
      commandId: command.id,
      events: [made.eventId],
      streamVersion: 1,
    });
    expect(made.metadata).toMatchObject({
      causationId: command.id,
      actingAgency: 'randers-school',
      parties: ['randers-school', 'randers-social'],
    });
    expect(made.data).toMatchObject({
      from: 'randers-school',
      to: 'randers-social',
      subjectId: expect.stringMatching(/^subj-/),
    });
    for (const stored of [made.metadata.actor, made.data.reason, made.data.subject]) {
      expect(isSealed(stored)).toBe(true);
    }
    const {
      events: [opened],
    } = await handling.opener.open([made]);
    expect(opened.metadata.actor).toBe(command.actor);
    expect(opened.data).toMatchObject({
      reason: command.data.reason,
      subject: command.data.subject,
    });
  });

  it('answers a redelivered command with the same outcome and appends nothing', async () => {
    const command = makeReferralCommand('randers-school', 'randers-social');
    const first = await send(command);
    const again = await send({ ...command, time: new Date(Date.now() + 1000).toISOString() });
    expect(again).toEqual(first);
    expect(await eventsFor(command.subject)).toHaveLength(1);
  });

  it('gives concurrent deliveries of one command one outcome and one event', async () => {
    const command = makeReferralCommand('randers-school', 'randers-social');
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => send(command)));
    expect(new Set(outcomes.map((o) => o.id)).size).toBe(1);
    expect(await eventsFor(command.subject)).toHaveLength(1);
  });

  it('rejects a reused command id with different content as DUPLICATE and keeps the original', async () => {
    const command = makeReferralCommand('randers-school', 'randers-social');
    const original = await send(command);
    const reused = await send({ ...command, data: { ...command.data, priority: 'stat' } });
    expect(reused.data).toMatchObject({ code: 'DUPLICATE' });
    expect(await send(command)).toEqual(original);
  });

  it('re-decides the loser of a race on one referral id', async () => {
    const first = makeReferralCommand('randers-school', 'randers-social');
    const second = makeReferralCommand('randers-school', 'randers-social');
    second.subject = first.subject;
    second.data.referralId = first.subject;
    const outcomes = await Promise.all([send(first), send(second)]);
    expect(outcomes.map((o) => o.type).sort()).toEqual(['command.accepted', 'command.rejected']);
    const rejected = outcomes.find((o) => o.type === 'command.rejected');
    expect(rejected?.data).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(await eventsFor(first.subject)).toHaveLength(1);
  });

  it('refuses a command whose source names another agency than its channel', async () => {
    const command = makeReferralCommand('randers-social', 'redbridge-adult-social-care');
    const outcome = await send(command, 'randers-school');
    expect(outcome.data).toMatchObject({
      code: 'FORBIDDEN',
      reason: expect.stringContaining('randers-social'),
    });
    expect(await eventsFor(command.subject)).toHaveLength(0);
  });

  it('rejects invalid data with the path of each bad field', async () => {
    const command = makeReferralCommand('randers-school', 'randers-social');
    const bad = {
      ...command,
      data: { ...command.data, priority: 'whenever', subject: { identifiers: [] } },
    };
    const outcome = await send(bad);
    expect(outcome.data).toMatchObject({
      code: 'INVALID',
      errors: expect.arrayContaining([
        expect.objectContaining({ path: 'data.priority' }),
        expect.objectContaining({ path: 'data.subject.identifiers' }),
      ]),
    });
  });

  it('rejects an unknown receiver, a category it does not take, and an unknown command type', async () => {
    const unknown = await send(makeReferralCommand('randers-school', 'atlantis-council'));
    expect(unknown.data).toMatchObject({ code: 'UNKNOWN_AGENCY' });
    const wrongCategory = makeReferralCommand('randers-school', 'randers-social');
    wrongCategory.data.category = 'debt-advice';
    expect((await send(wrongCategory)).data).toMatchObject({ code: 'INVALID' });
    const unsupported = {
      ...makeReferralCommand('randers-school', 'randers-social'),
      type: 'referral.teleport.v1',
    };
    expect((await send(unsupported)).data).toMatchObject({ code: 'UNSUPPORTED_TYPE' });
  });

  it('answers an oversized command TOO_LARGE and an envelope without specversion MALFORMED', async () => {
    const command = makeReferralCommand('randers-school', 'randers-social');
    const large = { ...command, data: { ...command.data, reason: 'x'.repeat(300 * 1024) } };
    expect((await send(large)).data).toMatchObject({ code: 'TOO_LARGE' });
    const { specversion: _omitted, ...noVersion } = makeReferralCommand(
      'randers-school',
      'randers-social',
    );
    expect((await send(noVersion)).data).toMatchObject({ code: 'MALFORMED' });
  });

  it('cannot answer bytes that carry no command id', async () => {
    for (const raw of ['not json', '[]', '{"type":"referral.make.v1"}', '']) {
      const result = await handling.processor.process(Buffer.from(raw), 'randers-school');
      expect(result.kind).toBe('unanswerable');
    }
    const { rows } = await handling.pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM command_log WHERE command_type = $1',
      ['referral.teleport.v1'],
    );
    expect(Number(rows[0].n)).toBe(1);
  });
});
