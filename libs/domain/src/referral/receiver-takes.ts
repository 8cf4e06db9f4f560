import type { ReferralCategory } from '@backbone/contracts';
import { Decision, reject } from '../decision';

/**
 * Whether the agency a referral is sent to (made or redirected) is in the directory and takes
 * referrals of its category: the rejection if not, undefined if it does.
 */
export function receiverRefuses(
  to: string,
  category: ReferralCategory,
  context: { acceptedCategoriesOf(agencyId: string): readonly ReferralCategory[] | undefined },
): Decision | undefined {
  const accepted = context.acceptedCategoriesOf(to);
  if (accepted === undefined)
    return reject('UNKNOWN_AGENCY', `no agency "${to}" is in the directory`);
  if (accepted.includes(category)) return undefined;
  return reject(
    'INVALID',
    `${to} does not take ${category} referrals; it takes: ${accepted.join(', ') || 'none'}`,
  );
}
