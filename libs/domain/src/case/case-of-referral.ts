import { CASE_OPENED_V1, CaseOpenedV1 } from '@backbone/contracts';
import type { DomainEvent } from '../decision';
import { derivedUuid } from '../derived-id';
import type { ExistingReferral } from '../referral/referral.state';
import { caseStreamId } from './case-stream';

/** The id of the case accepting a referral opens: derived, so a re-decision opens the same case. */
export const caseIdOfReferral = (referralId: string): string =>
  derivedUuid('case-of-referral', referralId);

/** Accepting a referral opens the receiver's case for the person (CONTRACT §5). */
export function openCaseForAcceptedReferral(referral: ExistingReferral): DomainEvent {
  const caseId = caseIdOfReferral(referral.referralId);
  const opened: CaseOpenedV1 = {
    caseId,
    responsible: referral.to,
    subjectId: referral.subjectId,
    subject: referral.subject,
    lawfulBasis: referral.lawfulBasis,
    fromReferralId: referral.referralId,
  };
  return { type: CASE_OPENED_V1, streamId: caseStreamId(caseId), data: { ...opened } };
}
