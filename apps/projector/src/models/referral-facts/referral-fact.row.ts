/**
 * One row of `referral_facts`: what the insights count of a referral, with its times as RFC 3339
 * text. No personal data: no subject, no free text, only codes.
 */
export type ReferralFactRow = {
  referral_id: string;
  from_agency: string;
  to_agency: string;
  category: string;
  priority: string;
  made_at: string;
  decision_due_by: string;
  /** When the receiver first showed it had the referral: acknowledged, or decided at once. */
  acknowledged_at: string | null;
  decided_at: string | null;
  /** `accepted`, `rejected` or `redirected`: the receiver's decision, once taken. */
  decision: string | null;
  status: string;
  /** When it reached an end status (rejected, redirected, completed, failed, cancelled). */
  ended_at: string | null;
  /** The reason code of the event that ended it (reject, redirect, fail, cancel), if given. */
  reason_code: string | null;
  outcome_code: string | null;
  redirected_from: string | null;
  stream_version: number;
};
