import { REFERRAL_MADE_V1, ReferralMadeV1 } from '@backbone/contracts';
import { ReferralState } from './referral.state';

export interface RecordedEvent {
  type: string;
  data: unknown;
}

/** Folds one stored event into the referral's state; unknown types leave it unchanged. */
export function evolveReferral(state: ReferralState, event: RecordedEvent): ReferralState {
  switch (event.type) {
    case REFERRAL_MADE_V1: {
      const made = event.data as ReferralMadeV1;
      return {
        exists: true,
        referralId: made.referralId,
        from: made.from,
        to: made.to,
        status: 'requested',
        category: made.category,
        priority: made.priority,
        decisionDueBy: made.decisionDueBy,
      };
    }
    default:
      return state;
  }
}
