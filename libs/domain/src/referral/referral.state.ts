import type {
  LawfulBasis,
  PersonSubjectData,
  ReferralCategory,
  ReferralPriority,
} from '@backbone/contracts';

export const REFERRAL_STATUSES = [
  'requested',
  'received',
  'accepted',
  'in-progress',
  'on-hold',
  'completed',
  'rejected',
  'cancelled',
  'failed',
  'redirected',
] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<ReferralStatus> = new Set([
  'rejected',
  'cancelled',
  'failed',
  'completed',
  'redirected',
]);

/** Statuses in which the receiver still owes a decision (accept, reject or redirect). */
export const AWAITING_DECISION: ReadonlySet<ReferralStatus> = new Set(['requested', 'received']);

export interface ExistingReferral {
  exists: true;
  referralId: string;
  from: string;
  to: string;
  status: ReferralStatus;
  category: ReferralCategory;
  priority: ReferralPriority;
  decisionDueBy: string;
  subjectId: string;
  /**
   * Personal data, as the stream holds it: sealed by the data-protection layer when rebuilt
   * from the store. Decisions never look inside; they only copy it to the events they make.
   */
  subject: PersonSubjectData;
  lawfulBasis: Pick<LawfulBasis, 'basis' | 'consentRef'>;
  /** Personal data, sealed like `subject`. */
  reason: string;
  /** The receiver's case, once the referral was accepted. */
  caseId?: string;
  overdueNotified: boolean;
  /** How many notes the referral holds: counted, not kept (see MAX_NOTES_PER_REFERRAL). */
  noteCount: number;
  /** How many times it was put on hold (see MAX_HOLDS_PER_REFERRAL). */
  holdCount: number;
}

/**
 * The most notes one referral takes. Every command on a referral reads and folds its whole
 * history, so the history must stay bounded: with at most this many notes of at most 4,000
 * characters each (sealed, about 5.5 KB), a referral's history stays within a few megabytes.
 */
export const MAX_NOTES_PER_REFERRAL = 500;

/**
 * The most times one referral is put on hold: hold and start may alternate, each hold with a
 * reason of up to 4,000 characters, and would otherwise grow the history without end too.
 */
export const MAX_HOLDS_PER_REFERRAL = 100;

export type ReferralState = { exists: false } | ExistingReferral;

export const NO_REFERRAL: ReferralState = { exists: false };

export const isTerminal = (status: ReferralStatus): boolean => TERMINAL_STATUSES.has(status);
