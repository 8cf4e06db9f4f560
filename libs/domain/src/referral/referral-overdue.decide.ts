import { REFERRAL_OVERDUE_V1 } from '@backbone/contracts';
import { Decision, accept, reject } from '../decision';
import { referralStreamId } from './referral-stream';
import { AWAITING_DECISION, ReferralState } from './referral.state';

/**
 * The deadline watcher's decision: a referral still awaiting the receiver's decision past its
 * deadline is marked overdue, once.
 */
export function decideReferralOverdue(state: ReferralState, now: Date): Decision {
  if (!state.exists) return reject('NOT_FOUND', 'no such referral');
  if (!AWAITING_DECISION.has(state.status)) {
    return reject(
      'INVALID_TRANSITION',
      `referral ${state.referralId} is ${state.status}: it is no longer awaiting a decision`,
    );
  }
  if (state.overdueNotified)
    return reject('INVALID_TRANSITION', `referral ${state.referralId} is already marked overdue`);
  if (new Date(state.decisionDueBy) > now) {
    return reject(
      'INVALID_TRANSITION',
      `referral ${state.referralId} is due by ${state.decisionDueBy}, not yet overdue`,
    );
  }
  return accept({
    type: REFERRAL_OVERDUE_V1,
    streamId: referralStreamId(state.referralId),
    data: {
      referralId: state.referralId,
      decisionDueBy: state.decisionDueBy,
      status: state.status,
    },
  });
}
