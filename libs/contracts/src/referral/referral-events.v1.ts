import { IsRealTimestamp } from '../input-safety/real-timestamp';
import { PersonalData } from '../personal-data/personal-data';
// The payloads of referral events after `referral.made.v1` (CONTRACT §4).
import { IsIn, IsOptional, IsRFC3339, IsString, IsUUID, Length, Matches } from 'class-validator';
import { AGENCY_ID_PATTERN } from '../agency';
import { MAX_TEXT, OUTCOME_CODES, OutcomeCode } from './referral-commands.v1';
import { REASON_CODES, ReasonCode } from './reason-codes';

export const REFERRAL_RECEIVED_V1 = 'referral.received.v1';
export const REFERRAL_ACCEPTED_V1 = 'referral.accepted.v1';
export const REFERRAL_REJECTED_V1 = 'referral.rejected.v1';
export const REFERRAL_REDIRECTED_V1 = 'referral.redirected.v1';
export const REFERRAL_STARTED_V1 = 'referral.started.v1';
export const REFERRAL_HELD_V1 = 'referral.held.v1';
export const REFERRAL_COMPLETED_V1 = 'referral.completed.v1';
export const REFERRAL_FAILED_V1 = 'referral.failed.v1';
export const REFERRAL_CANCELLED_V1 = 'referral.cancelled.v1';
export const REFERRAL_NOTED_V1 = 'referral.noted.v1';
export const REFERRAL_OVERDUE_V1 = 'referral.overdue.v1';

export class ReferralEventV1 {
  @IsUUID()
  referralId!: string;
}

export class ReferralReceivedV1 extends ReferralEventV1 {}
export class ReferralStartedV1 extends ReferralEventV1 {}

export class ReferralAcceptedV1 extends ReferralEventV1 {
  /** The receiver's case the referral opened. */
  @IsUUID()
  caseId!: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  @PersonalData()
  assignee?: string;
}

export class ReasonedReferralEventV1 extends ReferralEventV1 {
  @IsString()
  @Length(1, MAX_TEXT)
  @PersonalData()
  reason!: string;
}

/** The command's reason code, when it gave one. */
export class CodedReferralEventV1 extends ReasonedReferralEventV1 {
  @IsOptional()
  @IsIn(REASON_CODES)
  reasonCode?: ReasonCode;
}

export class ReferralRejectedV1 extends CodedReferralEventV1 {}
export class ReferralHeldV1 extends ReasonedReferralEventV1 {}
export class ReferralFailedV1 extends CodedReferralEventV1 {}
export class ReferralCancelledV1 extends CodedReferralEventV1 {}

export class ReferralRedirectedV1 extends CodedReferralEventV1 {
  @Matches(AGENCY_ID_PATTERN)
  to!: string;

  @IsUUID()
  newReferralId!: string;
}

export class ReferralCompletedV1 extends ReferralEventV1 {
  @IsString()
  @Length(1, MAX_TEXT)
  @PersonalData()
  outcome!: string;

  @IsIn(OUTCOME_CODES)
  outcomeCode!: OutcomeCode;
}

export class ReferralNotedV1 extends ReferralEventV1 {
  /** The party that wrote the note. */
  @Matches(AGENCY_ID_PATTERN)
  by!: string;

  @IsString()
  @Length(1, MAX_TEXT)
  @PersonalData()
  text!: string;
}

export class ReferralOverdueV1 extends ReferralEventV1 {
  @IsRFC3339()
  @IsRealTimestamp()
  decisionDueBy!: string;

  /** Status the referral was still in when its decision deadline passed. */
  @IsIn(['requested', 'received'])
  status!: string;
}
