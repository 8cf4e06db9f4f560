import { createHmac } from 'node:crypto';
import { CASE_OPENED_V1, CaseOpenedV1 } from '@backbone/contracts';
import type { DomainEvent } from '../decision';
import { keyedUuid } from '../derived-id';
import type { ExistingReferral } from '../referral/referral.state';
import { caseStreamId } from './case-stream';

/** What accepting a referral needs from outside the domain: the id of the case it opens. */
export interface CaseOfReferralContext {
  caseIdOf: (referralId: string) => string;
}

/**
 * The key case ids of accepted referrals derive with, from the backbone's SUBJECT_ID_KEY. The
 * label has no `|`, so it is never the input of an identifier's keyed hash (`system|value`),
 * whose prefixes agencies see as subject ids.
 */
export const caseIdKeyOf = (subjectIdKey: string): string =>
  createHmac('sha256', subjectIdKey).update('case-ids-of-accepted-referrals').digest('hex');

/**
 * The id of the case accepting a referral opens: derived, so a re-decision opens the same case,
 * and keyed, so the referrer (who chose the referral id) cannot compute it and open a case under
 * it first. Cases opened before this derivation keep their ids: everything that maps a referral
 * to its case reads the id from `referral.accepted.v1`.
 */
export const caseIdOfReferral = (caseIdKey: string, referralId: string): string =>
  keyedUuid(caseIdKey, 'case-of-referral', referralId);

/** Accepting a referral opens the receiver's case for the person (CONTRACT §5). */
export function openCaseForAcceptedReferral(
  referral: ExistingReferral,
  context: CaseOfReferralContext,
): DomainEvent {
  const caseId = context.caseIdOf(referral.referralId);
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
