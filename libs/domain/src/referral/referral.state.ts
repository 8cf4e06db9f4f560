import type { ReferralCategory, ReferralPriority } from '@backbone/contracts';

export const REFERRAL_STATUSES = [
  'requested',
  'received',
  'accepted',
  'in-progress',
  'on-hold',
  'completed',
  'rejected',
  'cancelled',
  'failed',
  'redirected',
] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<ReferralStatus> = new Set([
  'rejected',
  'cancelled',
  'failed',
  'completed',
  'redirected',
]);

export type ReferralState =
  | { exists: false }
  | {
      exists: true;
      referralId: string;
      from: string;
      to: string;
      status: ReferralStatus;
      category: ReferralCategory;
      priority: ReferralPriority;
      decisionDueBy: string;
    };

export const NO_REFERRAL: ReferralState = { exists: false };
