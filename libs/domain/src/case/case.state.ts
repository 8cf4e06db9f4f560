export interface PendingHandover {
  handoverId: string;
  to: string;
  status: 'proposed' | 'accepted';
  /** Proposed: when the proposer wants it to take effect; accepted: when it will. */
  effectiveAt?: string;
}

export interface ExistingCase {
  exists: true;
  caseId: string;
  /** The one agency responsible for the case; it changes only at handover completion. */
  responsible: string;
  subjectId: string;
  status: 'open' | 'closed';
  handover?: PendingHandover;
  /** Every handover id this case has used, so one can never be proposed twice. */
  handoverIds: readonly string[];
  /** Agencies that were responsible before, oldest first. */
  previouslyResponsible: readonly string[];
}

export type CaseState = { exists: false } | ExistingCase;

export const NO_CASE: CaseState = { exists: false };
