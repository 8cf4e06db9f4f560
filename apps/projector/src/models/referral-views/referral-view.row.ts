/**
 * One row of `referral_views`: as the projection computes and writes it, with its times as
 * RFC 3339 text; as node-postgres reads the times back, `ReferralViewRow<Date>`.
 */
export type ReferralViewRow<Time = string> = {
  referral_id: string;
  from_agency: string;
  to_agency: string;
  status: string;
  category: string;
  priority: string;
  decision_due_by: Time;
  made_at: Time;
  last_changed_at: Time;
  stream_version: number;
  case_id: string | null;
  redirected_from: string | null;
  decided_at: Time | null;
};
