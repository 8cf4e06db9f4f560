import type { ReferralCategory } from '../agency';
import type { LawfulBasisKind } from './lawful-basis';
import type { ReferralPriority } from './make-referral.v1';

export const REFERRAL_MADE_V1 = 'referral.made.v1';

/** The person as events carry them (personal data: see the data-protection issue). */
export interface PersonSubjectData {
  identifiers: { system: string; value: string }[];
  name?: { given: string; family: string };
  birthDate?: string;
}

/** `referral.made.v1`: a referral now exists and awaits the receiver's decision. */
export interface ReferralMadeV1 {
  referralId: string;
  from: string;
  to: string;
  category: ReferralCategory;
  priority: ReferralPriority;
  reason: string;
  /** Pseudonymous id of the person (never a raw identifier). */
  subjectId: string;
  subject: PersonSubjectData;
  lawfulBasis: { basis: LawfulBasisKind; consentRef?: string };
  /** When the receiver's decision is due. */
  decisionDueBy: string;
  dueBy?: string;
  /** Set when this referral was made by redirecting another: that referral's id. */
  redirectedFrom?: string;
  /** The agency that redirected it here (the original's receiver). */
  redirectedBy?: string;
}
