import {
  REFERRAL_MADE_V1,
  REFERRAL_REDIRECTED_V1,
  RedirectReferralV1,
  ReferralMadeV1,
} from '@backbone/contracts';
import { Decision, accept, reject } from '../decision';
import { decisionDeadline } from './decision-deadline';
import { codedReason } from './coded-reason';
import { receiverRefuses } from './receiver-takes';
import type { MakeReferralContext } from './make-referral.decide';
import { checkReferralAction } from './referral-lifecycle.decide';
import { referralStreamId } from './referral-stream';
import { ExistingReferral, ReferralState } from './referral.state';

export type RedirectContext = Pick<
  MakeReferralContext,
  'now' | 'acceptedCategoriesOf' | 'decisionHoursOf'
>;

/**
 * The receiver sends the referral on to a better-placed agency: this referral ends as
 * `redirected`, and a new one, linked both ways, is made from the same referrer.
 */
export function decideRedirectReferral(
  command: RedirectReferralV1,
  state: ReferralState,
  sender: string,
  context: RedirectContext,
): Decision {
  const refused = checkReferralAction(state, command.referralId, sender, {
    by: 'receiver',
    allowedIn: ['requested', 'received'],
    verb: 'redirected',
  });
  if (refused) return refused;
  const referral = state as ExistingReferral;
  if (command.newReferralId === referral.referralId) {
    return reject('INVALID', 'newReferralId must be a new id, not the redirected referral’s own');
  }
  if (command.to === referral.to || command.to === referral.from) {
    return reject(
      'INVALID',
      `a referral cannot be redirected to ${command.to}, which is already a party to it`,
    );
  }
  const notTaken = receiverRefuses(command.to, referral.category, context);
  if (notTaken) return notTaken;
  const made: ReferralMadeV1 = {
    referralId: command.newReferralId,
    from: referral.from,
    to: command.to,
    category: referral.category,
    priority: referral.priority,
    reason: referral.reason,
    subjectId: referral.subjectId,
    subject: referral.subject,
    lawfulBasis: referral.lawfulBasis,
    decisionDueBy: decisionDeadline(
      context.now,
      referral.priority,
      context.decisionHoursOf(command.to),
    ),
    redirectedFrom: referral.referralId,
    redirectedBy: referral.to,
  };
  return accept(
    {
      type: REFERRAL_REDIRECTED_V1,
      streamId: referralStreamId(referral.referralId),
      data: {
        referralId: referral.referralId,
        to: command.to,
        newReferralId: command.newReferralId,
        ...codedReason(command),
      },
    },
    {
      type: REFERRAL_MADE_V1,
      streamId: referralStreamId(command.newReferralId),
      data: { ...made },
    },
  );
}
