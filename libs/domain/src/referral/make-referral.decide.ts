import {
  MakeReferralV1,
  REFERRAL_MADE_V1,
  ReferralCategory,
  ReferralMadeV1,
  ReferralPriority,
} from '@backbone/contracts';
import { Decision, accept, reject } from '../decision';
import { decisionDeadline } from './decision-deadline';
import { receiverRefuses } from './receiver-takes';
import { referralStreamId } from './referral-stream';
import { ReferralState } from './referral.state';

/** What deciding on a new referral needs to know about the world, without doing I/O. */
export interface MakeReferralContext {
  from: string;
  now: Date;
  /** Pseudonymous id of the person, derived from their identifiers. */
  subjectId: string;
  /** The categories the receiving agency takes, or undefined when no such agency exists. */
  acceptedCategoriesOf: (agencyId: string) => readonly ReferralCategory[] | undefined;
  /** The receiver's decision deadlines by priority (its directory entry, else the defaults). */
  decisionHoursOf: (agencyId: string) => Readonly<Record<ReferralPriority, number>>;
}

export function decideMakeReferral(
  command: MakeReferralV1,
  state: ReferralState,
  context: MakeReferralContext,
): Decision {
  if (state.exists) {
    return reject(
      'INVALID_TRANSITION',
      `referral ${command.referralId} already exists (made by ${state.from}); choose a new referralId`,
    );
  }
  if (command.to === context.from) {
    return reject('INVALID', `an agency cannot refer to itself (${command.to})`);
  }
  const notTaken = receiverRefuses(command.to, command.category, context);
  if (notTaken) return notTaken;
  const made: ReferralMadeV1 = {
    referralId: command.referralId,
    from: context.from,
    to: command.to,
    category: command.category,
    priority: command.priority,
    reason: command.reason,
    subjectId: context.subjectId,
    subject: command.subject,
    lawfulBasis: command.lawfulBasis,
    decisionDueBy: decisionDeadline(
      context.now,
      command.priority,
      context.decisionHoursOf(command.to),
    ),
    ...(command.dueBy ? { dueBy: command.dueBy } : {}),
  };
  return accept({
    type: REFERRAL_MADE_V1,
    streamId: referralStreamId(command.referralId),
    data: made as unknown as Record<string, unknown>,
  });
}
