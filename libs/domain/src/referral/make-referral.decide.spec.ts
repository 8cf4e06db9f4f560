import { MakeReferralV1 } from '@backbone/contracts';
import { DEFAULT_DECISION_HOURS } from './decision-deadline';
import { decideMakeReferral, MakeReferralContext } from './make-referral.decide';
import { evolveReferral } from './referral.evolve';
import { NO_REFERRAL } from './referral.state';

const command: MakeReferralV1 = {
  referralId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  to: 'randers-social',
  category: 'child-social-care',
  priority: 'urgent',
  reason: 'Repeated absence and signs of neglect',
  subject: { identifiers: [{ system: 'dk-cpr', value: '0101101234' }] },
  lawfulBasis: { basis: 'public-task' },
};

const context: MakeReferralContext = {
  from: 'randers-school',
  now: new Date('2026-11-28T10:00:00.000Z'),
  subjectId: 'subj-1',
  decisionHoursOf: () => DEFAULT_DECISION_HOURS,
  acceptedCategoriesOf: (id) =>
    id === 'randers-social' ? ['child-social-care', 'safeguarding'] : undefined,
};

describe('making a referral', () => {
  it('records referral.made.v1 with the decision deadline of its priority', () => {
    const decision = decideMakeReferral(command, NO_REFERRAL, context);
    expect(decision.kind).toBe('accepted');
    if (decision.kind !== 'accepted') return;
    expect(decision.events).toHaveLength(1);
    expect(decision.events[0]).toMatchObject({
      type: 'referral.made.v1',
      streamId: `referral-${command.referralId}`,
      data: {
        from: 'randers-school',
        to: 'randers-social',
        decisionDueBy: '2026-11-29T10:00:00.000Z',
      },
    });
  });

  it('rejects a receiver that is not in the directory', () => {
    const decision = decideMakeReferral({ ...command, to: 'nowhere' }, NO_REFERRAL, context);
    expect(decision).toEqual({
      kind: 'rejected',
      rejection: expect.objectContaining({ code: 'UNKNOWN_AGENCY' }),
    });
  });

  it('rejects a category the receiver does not take, naming what it takes', () => {
    const decision = decideMakeReferral(
      { ...command, category: 'debt-advice' },
      NO_REFERRAL,
      context,
    );
    expect(decision.kind === 'rejected' && decision.rejection.reason).toMatch(
      /does not take debt-advice.*child-social-care/,
    );
  });

  it('rejects a second make with the same referral id', () => {
    const first = decideMakeReferral(command, NO_REFERRAL, context);
    if (first.kind !== 'accepted') throw new Error('expected acceptance');
    const state = evolveReferral(NO_REFERRAL, first.events[0]);
    const again = decideMakeReferral(command, state, context);
    expect(again.kind === 'rejected' && again.rejection.code).toBe('INVALID_TRANSITION');
  });
});
