import type { ReferralPriority } from '@backbone/contracts';

/** Hours a receiver has to accept, reject or redirect a referral, by priority (CONTRACT §4). */
export const DEFAULT_DECISION_HOURS: Readonly<Record<ReferralPriority, number>> = {
  stat: 1,
  asap: 4,
  urgent: 24,
  routine: 72,
};

export function decisionDeadline(
  madeAt: Date,
  priority: ReferralPriority,
  hours: Readonly<Record<ReferralPriority, number>> = DEFAULT_DECISION_HOURS,
): string {
  return new Date(madeAt.getTime() + hours[priority] * 3_600_000).toISOString();
}
