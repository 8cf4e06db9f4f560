/** One row of `handover_facts`, times as RFC 3339 text. No personal data. */
export type HandoverFactRow = {
  handover_id: string;
  case_id: string;
  from_agency: string;
  to_agency: string;
  /** `proposed`, `accepted`, `declined`, `cancelled` or `completed`. */
  status: string;
  proposed_at: string;
  accepted_at: string | null;
  declined_at: string | null;
  cancelled_at: string | null;
  completed_at: string | null;
  stream_version: number;
};
