// The payloads of case events (CONTRACT §5).
import type { LawfulBasisKind } from '../referral/lawful-basis';
import type { PersonSubjectData } from '../referral/referral-made.v1';

export const CASE_OPENED_V1 = 'case.opened.v1';
export const CASE_CLOSED_V1 = 'case.closed.v1';
export const HANDOVER_PROPOSED_V1 = 'case.handover-proposed.v1';
export const HANDOVER_ACCEPTED_V1 = 'case.handover-accepted.v1';
export const HANDOVER_COMPLETED_V1 = 'case.handover-completed.v1';
export const HANDOVER_DECLINED_V1 = 'case.handover-declined.v1';
export const HANDOVER_CANCELLED_V1 = 'case.handover-cancelled.v1';

export interface CaseOpenedV1 {
  caseId: string;
  /** The agency responsible for the case from now on. */
  responsible: string;
  subjectId: string;
  subject: PersonSubjectData;
  lawfulBasis: { basis: LawfulBasisKind; consentRef?: string };
  /** Set when accepting a referral opened the case. */
  fromReferralId?: string;
}

export interface CaseClosedV1 {
  caseId: string;
  reason: string;
}

export interface HandoverProposedV1 {
  caseId: string;
  handoverId: string;
  from: string;
  to: string;
  reason: string;
  summary: string;
  effectiveAt?: string;
}

export interface HandoverAcceptedV1 {
  caseId: string;
  handoverId: string;
  /** When responsibility moves (`case.handover-completed.v1`). */
  effectiveAt: string;
}

export interface HandoverCompletedV1 {
  caseId: string;
  handoverId: string;
  from: string;
  to: string;
}

export interface HandoverClosedV1 {
  caseId: string;
  handoverId: string;
  reason: string;
}

export type HandoverDeclinedV1 = HandoverClosedV1;
export type HandoverCancelledV1 = HandoverClosedV1;
