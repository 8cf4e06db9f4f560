import type { RejectionCode } from '@backbone/contracts';

/**
 * The case a command acts on: one an agency opened itself (its id chosen by the agency), or the
 * case that accepting a referral opened (its id keyed by the backbone, which the agency learns
 * from `referral.accepted.v1`, so only the seeding run can fill it in).
 */
export type CaseRef = { caseId: string } | { caseOfReferral: string };

/** One command of the demo year, as an agency system sends it. */
export interface PlannedCommand {
  /** When the agency sends it: the seed clock stands here while it is decided. */
  at: Date;
  commandId: string;
  /** The agency sending it, on its own channel. */
  sender: string;
  type: string;
  /** A referral command's data (with its `referralId`), or a case command's without `caseId`. */
  data: Record<string, unknown>;
  /** Set for case commands: the case, filled in as `data.caseId` when the command is sent. */
  case?: CaseRef;
  /**
   * `accepted`, or the code of a rejection the scenario means to happen (an agency acting on
   * what has just changed); any other outcome is a seeding bug.
   */
  expected: 'accepted' | RejectionCode;
  /** The story it belongs to (a referral and its redirects, or a case): its correlation id. */
  story: string;
}

/** What the plan holds, counted as it was made. */
export interface PlanCounts {
  /** Referrals made by their referrers (redirects make more). */
  referralsMade: number;
  redirects: number;
  casesOpened: number;
  handoversProposed: number;
  people: number;
}

export interface DemoYearPlan {
  seed: number;
  /** The first moment of the year (inclusive) and its end (exclusive). */
  start: Date;
  end: Date;
  /** Every command, in the order it is sent. */
  commands: PlannedCommand[];
  counts: PlanCounts;
}
