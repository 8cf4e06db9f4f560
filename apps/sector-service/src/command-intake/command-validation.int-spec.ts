// At least 30 malformed or invalid commands: each gets its documented code, `errors` point at
// the bad field where there is one, and nothing is stored.
import { randomUUID } from 'node:crypto';
import { commandFrom, makeReferralCommand } from '@backbone/testing/referral-commands';
import { freshCommandHandling } from '@backbone/testing/command-handling-app';
import { CommandProcessor } from './command-processor';

type Case = { name: string; command: unknown; code: string; path?: string };

const valid = () => makeReferralCommand('randers-school', 'randers-social');
const withData = (patch: Record<string, unknown>) => {
  const command = valid();
  return { ...command, data: { ...command.data, ...patch } };
};
const without = (field: string) => {
  const command = valid() as Record<string, unknown>;
  delete command[field];
  return command;
};
const withoutData = (field: string) => {
  const command = valid();
  const data = { ...command.data } as Record<string, unknown>;
  delete data[field];
  return { ...command, data };
};
const subject = valid().data.subject;

const CASES: Case[] = [
  {
    name: 'no specversion',
    command: without('specversion'),
    code: 'MALFORMED',
    path: 'specversion',
  },
  {
    name: 'wrong specversion',
    command: { ...valid(), specversion: '0.3' },
    code: 'MALFORMED',
    path: 'specversion',
  },
  { name: 'no source', command: without('source'), code: 'MALFORMED', path: 'source' },
  {
    name: 'source not agency/…',
    command: { ...valid(), source: 'randers-school' },
    code: 'MALFORMED',
    path: 'source',
  },
  { name: 'no time', command: without('time'), code: 'MALFORMED', path: 'time' },
  {
    name: 'time not RFC 3339',
    command: { ...valid(), time: '28/11/2026 10:00' },
    code: 'MALFORMED',
    path: 'time',
  },
  { name: 'no type', command: without('type'), code: 'MALFORMED', path: 'type' },
  { name: 'no subject', command: without('subject'), code: 'MALFORMED', path: 'subject' },
  {
    name: 'data not an object',
    command: { ...valid(), data: 'referral' },
    code: 'MALFORMED',
    path: 'data',
  },
  {
    name: 'unknown envelope attribute',
    command: { ...valid(), priority: 'stat' },
    code: 'MALFORMED',
    path: 'priority',
  },
  {
    name: 'wrong datacontenttype',
    command: { ...valid(), datacontenttype: 'text/xml' },
    code: 'MALFORMED',
    path: 'datacontenttype',
  },
  {
    name: 'unsupported type',
    command: { ...valid(), type: 'referral.escalate.v1' },
    code: 'UNSUPPORTED_TYPE',
  },
  {
    name: 'no referralId',
    command: withoutData('referralId'),
    code: 'INVALID',
    path: 'data.referralId',
  },
  {
    name: 'referralId not a UUID',
    command: { ...withData({ referralId: 'r-1' }), subject: 'r-1' },
    code: 'INVALID',
    path: 'data.referralId',
  },
  {
    name: 'subject differs from referralId',
    command: { ...valid(), subject: randomUUID() },
    code: 'INVALID',
    path: 'subject',
  },
  { name: 'no receiver', command: withoutData('to'), code: 'INVALID', path: 'data.to' },
  {
    name: 'receiver not an agency id',
    command: withData({ to: 'Randers Social!' }),
    code: 'INVALID',
    path: 'data.to',
  },
  {
    name: 'unknown receiver',
    command: withData({ to: 'atlantis-council' }),
    code: 'UNKNOWN_AGENCY',
  },
  {
    name: 'category not in the list',
    command: withData({ category: 'gardening' }),
    code: 'INVALID',
    path: 'data.category',
  },
  {
    name: 'category the receiver does not take',
    command: withData({ category: 'debt-advice' }),
    code: 'INVALID',
  },
  {
    name: 'bad priority',
    command: withData({ priority: 'whenever' }),
    code: 'INVALID',
    path: 'data.priority',
  },
  {
    name: 'priority of the wrong type',
    command: withData({ priority: 3 }),
    code: 'INVALID',
    path: 'data.priority',
  },
  { name: 'no reason', command: withoutData('reason'), code: 'INVALID', path: 'data.reason' },
  { name: 'empty reason', command: withData({ reason: '' }), code: 'INVALID', path: 'data.reason' },
  {
    name: 'reason over 4,000 characters',
    command: withData({ reason: 'x'.repeat(4001) }),
    code: 'INVALID',
    path: 'data.reason',
  },
  {
    name: 'no identifiers',
    command: withData({ subject: { identifiers: [] } }),
    code: 'INVALID',
    path: 'data.subject.identifiers',
  },
  {
    name: 'identifier without a value',
    command: withData({ subject: { identifiers: [{ system: 'dk-cpr' }] } }),
    code: 'INVALID',
    path: 'data.subject.identifiers.0.value',
  },
  {
    name: 'bad birth date',
    command: withData({ subject: { ...subject, birthDate: '2012-13-45' } }),
    code: 'INVALID',
    path: 'data.subject.birthDate',
  },
  {
    name: 'name missing family',
    command: withData({ subject: { ...subject, name: { given: 'Freja' } } }),
    code: 'INVALID',
    path: 'data.subject.name.family',
  },
  {
    name: 'no lawful basis',
    command: withoutData('lawfulBasis'),
    code: 'INVALID',
    path: 'data.lawfulBasis',
  },
  {
    name: 'unknown lawful basis',
    command: withData({ lawfulBasis: { basis: 'because' } }),
    code: 'INVALID',
    path: 'data.lawfulBasis.basis',
  },
  {
    name: 'dueBy not a date',
    command: withData({ dueBy: 'next week' }),
    code: 'INVALID',
    path: 'data.dueBy',
  },
  {
    name: 'unknown data field',
    command: withData({ urgencyScore: 9 }),
    code: 'INVALID',
    path: 'data.urgencyScore',
  },
  {
    name: 'forged source',
    command: makeReferralCommand('east-jutland-police', 'randers-social'),
    code: 'FORBIDDEN',
  },
  {
    name: 'referral to oneself',
    command: makeReferralCommand('randers-school', 'randers-school'),
    code: 'INVALID',
  },
  {
    name: 'complete with a bad outcome code',
    command: commandFrom('randers-school', 'referral.complete.v1', valid().subject, {
      referralId: valid().subject,
      outcome: 'done',
      outcomeCode: 'fine',
    }),
    code: 'INVALID',
    path: 'data.outcomeCode',
  },
  {
    name: 'accept of a referral that does not exist',
    command: (() => {
      const id = randomUUID();
      return commandFrom('randers-school', 'referral.accept.v1', id, { referralId: id });
    })(),
    code: 'NOT_FOUND',
  },
  {
    name: 'handover proposal with no summary',
    command: (() => {
      const caseId = randomUUID();
      return commandFrom('randers-school', 'case.handover.propose.v1', caseId, {
        caseId,
        handoverId: randomUUID(),
        to: 'randers-social',
        reason: 'r',
      });
    })(),
    code: 'INVALID',
    path: 'data.summary',
  },
];

describe('command validation', () => {
  const handling = freshCommandHandling((app) => ({ processor: app.get(CommandProcessor) }));

  it('covers at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES)('$name → $code', async ({ command, code, path }) => {
    const result = await handling.processor.process(
      Buffer.from(JSON.stringify(command)),
      'randers-school',
    );
    if (result.kind !== 'answered') throw new Error(`not answered: ${result.reason}`);
    expect(result.outcome.type).toBe('command.rejected');
    const data = result.outcome.data as {
      code: string;
      reason: string;
      errors?: { path: string }[];
    };
    expect(data.code).toBe(code);
    expect(data.reason.length).toBeGreaterThan(10);
    if (path) expect(data.errors?.map((e) => e.path)).toContain(path);
  });

  it('stored no event for any of them', async () => {
    const { rows } = await handling.pool.query<{ n: string }>('SELECT count(*) AS n FROM events');
    expect(Number(rows[0].n)).toBe(0);
  });
});
