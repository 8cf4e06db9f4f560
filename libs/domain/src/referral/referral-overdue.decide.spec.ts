import { decideReferralOverdue } from './referral-overdue.decide';
import { evolveReferral } from './referral.evolve';
import { ExistingReferral } from './referral.state';

const due = '2026-11-28T10:00:00.000Z';
const referral: ExistingReferral = {
  exists: true,
  referralId: '33333333-3333-4333-8333-333333333333',
  from: 'redbridge-gp-team',
  to: 'redbridge-adult-social-care',
  status: 'received',
  category: 'adult-social-care',
  priority: 'stat',
  decisionDueBy: due,
  subjectId: 'subj-3',
  subject: { identifiers: [{ system: 'uk-nhs', value: '9434765919' }] },
  lawfulBasis: { basis: 'vital-interests' },
  reason: 'Discharge tomorrow, lives alone',
  overdueNotified: false,
  noteCount: 0,
  holdCount: 0,
};

describe('overdue referrals', () => {
  it('marks a referral overdue once its decision deadline has passed', () => {
    const decision = decideReferralOverdue(referral, new Date('2026-11-28T10:00:01.000Z'));
    if (decision.kind !== 'accepted') throw new Error('expected overdue');
    expect(decision.events[0]).toMatchObject({
      type: 'referral.overdue.v1',
      data: { decisionDueBy: due, status: 'received' },
    });
    const after = evolveReferral(referral, decision.events[0]);
    expect(decideReferralOverdue(after, new Date('2026-11-29T00:00:00.000Z')).kind).toBe(
      'rejected',
    );
  });

  it('does not mark it before the deadline, or once decided', () => {
    expect(decideReferralOverdue(referral, new Date('2026-11-28T09:59:59.000Z')).kind).toBe(
      'rejected',
    );
    expect(
      decideReferralOverdue(
        { ...referral, status: 'accepted' },
        new Date('2026-11-29T00:00:00.000Z'),
      ).kind,
    ).toBe('rejected');
  });
});
