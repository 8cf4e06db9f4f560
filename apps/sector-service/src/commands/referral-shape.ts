import { NO_REFERRAL, ReferralState, evolveReferral } from '@backbone/domain';
import type { AggregateShape } from './stream-decider';

export const REFERRAL_SHAPE: AggregateShape<ReferralState> = {
  initial: NO_REFERRAL,
  evolve: evolveReferral,
  partiesOf: (state) => (state.exists ? [state.from, state.to] : []),
};
