import { COMMAND_DATA_CLASSES, MAKE_REFERRAL_V1, OPEN_CASE_V1 } from '@backbone/contracts';
import { NO_CASE } from './case/case.state';
import {
  CommandContext,
  DECIDED_COMMAND_TYPES,
  decideCommand,
  personNamedBy,
  streamIdOfCommand,
} from './decide-command';
import { NO_REFERRAL } from './referral/referral.state';

const REFERRAL_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const CASE_ID = '0b5c2f51-9f4e-4f0e-8c37-2f1d0a4e8d11';
const identifiers = [{ system: 'dk-cpr', value: '0101125678' }];

const context: CommandContext = {
  sender: 'randers-school',
  now: new Date('2026-11-28T10:00:00Z'),
  subjectId: 'subj-1',
  acceptedCategoriesOf: () => ['child-social-care'],
  decisionHoursOf: () => ({ routine: 72, urgent: 24, asap: 8, stat: 2 }),
  caseIdOf: () => CASE_ID,
  agencyExists: () => true,
};

describe('deciding any command', () => {
  it('has a decision for every command type of the contract, and no other', () => {
    expect([...DECIDED_COMMAND_TYPES].sort()).toEqual(Object.keys(COMMAND_DATA_CLASSES).sort());
  });

  it('finds the stream each command acts on from its data', () => {
    for (const type of DECIDED_COMMAND_TYPES) {
      const streamId = streamIdOfCommand(type, { referralId: REFERRAL_ID, caseId: CASE_ID });
      expect(streamId).toBe(
        type.startsWith('case.') ? `case-${CASE_ID}` : `referral-${REFERRAL_ID}`,
      );
    }
  });

  it('names a person only for the commands that start a stream about one', () => {
    const named = DECIDED_COMMAND_TYPES.filter(
      (type) => personNamedBy(type, { subject: { identifiers } }) !== undefined,
    );
    expect(named.sort()).toEqual([OPEN_CASE_V1, MAKE_REFERRAL_V1].sort());
  });

  it('decides through the aggregate the command belongs to', () => {
    const made = decideCommand(
      MAKE_REFERRAL_V1,
      {
        referralId: REFERRAL_ID,
        to: 'randers-social',
        category: 'child-social-care',
        priority: 'urgent',
        reason: 'Repeated absence',
        subject: { identifiers },
        lawfulBasis: { basis: 'public-task' },
      },
      NO_REFERRAL,
      context,
    );
    expect(made).toMatchObject({
      kind: 'accepted',
      events: [{ type: 'referral.made.v1', data: { from: 'randers-school', subjectId: 'subj-1' } }],
    });
    const closed = decideCommand('case.close.v1', { caseId: CASE_ID }, NO_CASE, context);
    expect(closed).toMatchObject({ kind: 'rejected', rejection: { code: 'NOT_FOUND' } });
  });

  it('refuses a type it does not know loudly, as a defect of the caller', () => {
    expect(() => streamIdOfCommand('referral.teleport.v1', {})).toThrow(/no decision/);
  });
});
