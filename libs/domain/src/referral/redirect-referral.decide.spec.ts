import { DEFAULT_DECISION_HOURS } from './decision-deadline';
import { decideRedirectReferral, RedirectContext } from './redirect-referral.decide';
import { ExistingReferral } from './referral.state';
import { evolveReferral } from './referral.evolve';
import { NO_REFERRAL } from './referral.state';

const original: ExistingReferral = {
  exists: true,
  referralId: '11111111-1111-4111-8111-111111111111',
  from: 'ilford-jobcentre',
  to: 'redbridge-housing',
  status: 'received',
  category: 'debt-advice',
  priority: 'routine',
  decisionDueBy: '2026-12-01T10:00:00.000Z',
  subjectId: 'subj-2',
  subject: { identifiers: [{ system: 'uk-nino', value: 'QQ123456C' }] },
  lawfulBasis: { basis: 'consent', consentRef: 'form-77' },
  reason: 'Rent arrears and council tax debt',
  overdueNotified: false,
  noteCount: 0,
  holdCount: 0,
};
const context: RedirectContext = {
  now: new Date('2026-11-28T12:00:00.000Z'),
  decisionHoursOf: () => DEFAULT_DECISION_HOURS,
  acceptedCategoriesOf: (id) =>
    id === 'redbridge-debt-advice'
      ? ['debt-advice']
      : id === 'randers-social'
        ? ['safeguarding']
        : undefined,
};
const command = {
  referralId: original.referralId,
  to: 'redbridge-debt-advice',
  reason: 'Debt advice is better placed',
  newReferralId: '22222222-2222-4222-8222-222222222222',
};

describe('redirecting a referral', () => {
  it('ends this referral redirected and makes a new one from the same referrer, linked both ways', () => {
    const decision = decideRedirectReferral(command, original, 'redbridge-housing', context);
    if (decision.kind !== 'accepted') throw new Error('expected acceptance');
    const [redirected, made] = decision.events;
    expect(redirected).toMatchObject({
      type: 'referral.redirected.v1',
      streamId: `referral-${original.referralId}`,
      data: { to: 'redbridge-debt-advice', newReferralId: command.newReferralId },
    });
    expect(made).toMatchObject({
      type: 'referral.made.v1',
      streamId: `referral-${command.newReferralId}`,
      data: {
        from: 'ilford-jobcentre',
        to: 'redbridge-debt-advice',
        redirectedFrom: original.referralId,
        redirectedBy: 'redbridge-housing',
        decisionDueBy: '2026-12-01T12:00:00.000Z',
      },
    });
    expect(evolveReferral(original, redirected)).toMatchObject({ status: 'redirected' });
    expect(evolveReferral(NO_REFERRAL, made)).toMatchObject({
      status: 'requested',
      from: 'ilford-jobcentre',
    });
  });

  it('records the reason code the receiver gave, and none when it gave none', () => {
    const coded = decideRedirectReferral(
      { ...command, reasonCode: 'wrong-service' },
      original,
      'redbridge-housing',
      context,
    );
    const uncoded = decideRedirectReferral(command, original, 'redbridge-housing', context);
    if (coded.kind !== 'accepted' || uncoded.kind !== 'accepted')
      throw new Error('expected acceptance');
    expect(coded.events[0].data).toMatchObject({
      reason: command.reason,
      reasonCode: 'wrong-service',
    });
    expect(uncoded.events[0].data).not.toHaveProperty('reasonCode');
  });

  it('refuses a receiver that does not take the category, or is unknown', () => {
    const wrong = decideRedirectReferral(
      { ...command, to: 'randers-social' },
      original,
      'redbridge-housing',
      context,
    );
    expect(wrong.kind === 'rejected' && wrong.rejection).toMatchObject({
      code: 'INVALID',
      reason: expect.stringContaining('does not take debt-advice'),
    });
    const unknown = decideRedirectReferral(
      { ...command, to: 'nowhere' },
      original,
      'redbridge-housing',
      context,
    );
    expect(unknown.kind === 'rejected' && unknown.rejection.code).toBe('UNKNOWN_AGENCY');
  });

  it('is the receiver’s to do, and only before its decision', () => {
    expect(decideRedirectReferral(command, original, 'ilford-jobcentre', context)).toMatchObject({
      rejection: { code: 'FORBIDDEN' },
    });
    expect(
      decideRedirectReferral(
        command,
        { ...original, status: 'accepted' },
        'redbridge-housing',
        context,
      ),
    ).toMatchObject({
      rejection: { code: 'INVALID_TRANSITION' },
    });
  });

  it('refuses reusing the redirected referral’s own id', () => {
    const decision = decideRedirectReferral(
      { ...command, newReferralId: original.referralId },
      original,
      'redbridge-housing',
      context,
    );
    expect(decision).toMatchObject({ rejection: { code: 'INVALID' } });
  });
});
