// The payloads of referral events after `referral.made.v1` (CONTRACT §4).
import type { OutcomeCode } from './referral-commands.v1';

export const REFERRAL_RECEIVED_V1 = 'referral.received.v1';
export const REFERRAL_ACCEPTED_V1 = 'referral.accepted.v1';
export const REFERRAL_REJECTED_V1 = 'referral.rejected.v1';
export const REFERRAL_REDIRECTED_V1 = 'referral.redirected.v1';
export const REFERRAL_STARTED_V1 = 'referral.started.v1';
export const REFERRAL_HELD_V1 = 'referral.held.v1';
export const REFERRAL_COMPLETED_V1 = 'referral.completed.v1';
export const REFERRAL_FAILED_V1 = 'referral.failed.v1';
export const REFERRAL_CANCELLED_V1 = 'referral.cancelled.v1';
export const REFERRAL_NOTED_V1 = 'referral.noted.v1';
export const REFERRAL_OVERDUE_V1 = 'referral.overdue.v1';

export interface ReferralEventV1 {
  referralId: string;
}

export type ReferralReceivedV1 = ReferralEventV1;

export interface ReferralAcceptedV1 extends ReferralEventV1 {
  /** The receiver's case the referral opened. */
  caseId: string;
  assignee?: string;
}

export interface ReasonedReferralEventV1 extends ReferralEventV1 {
  reason: string;
}

export type ReferralRejectedV1 = ReasonedReferralEventV1;

export interface ReferralRedirectedV1 extends ReasonedReferralEventV1 {
  to: string;
  newReferralId: string;
}

export type ReferralStartedV1 = ReferralEventV1;
export type ReferralHeldV1 = ReasonedReferralEventV1;

export interface ReferralCompletedV1 extends ReferralEventV1 {
  outcome: string;
  outcomeCode: OutcomeCode;
}

export type ReferralFailedV1 = ReasonedReferralEventV1;
export type ReferralCancelledV1 = ReasonedReferralEventV1;

export interface ReferralNotedV1 extends ReferralEventV1 {
  /** The party that wrote the note. */
  by: string;
  text: string;
}

export interface ReferralOverdueV1 extends ReferralEventV1 {
  decisionDueBy: string;
  /** Status the referral was still in when its decision deadline passed. */
  status: string;
}
