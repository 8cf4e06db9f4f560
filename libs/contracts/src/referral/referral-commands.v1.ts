import { PersonalData } from '../personal-data/personal-data';
// The data of every referral command after `referral.make.v1` (CONTRACT §4).
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { AGENCY_ID_PATTERN } from '../agency';
import { REASON_CODES, ReasonCode } from './reason-codes';

export const ACKNOWLEDGE_REFERRAL_V1 = 'referral.acknowledge.v1';
export const ACCEPT_REFERRAL_V1 = 'referral.accept.v1';
export const REJECT_REFERRAL_V1 = 'referral.reject.v1';
export const REDIRECT_REFERRAL_V1 = 'referral.redirect.v1';
export const START_REFERRAL_V1 = 'referral.start.v1';
export const HOLD_REFERRAL_V1 = 'referral.hold.v1';
export const COMPLETE_REFERRAL_V1 = 'referral.complete.v1';
export const FAIL_REFERRAL_V1 = 'referral.fail.v1';
export const CANCEL_REFERRAL_V1 = 'referral.cancel.v1';
export const NOTE_REFERRAL_V1 = 'referral.note.v1';

export const MAX_TEXT = 4000;

export const OUTCOME_CODES = [
  'service-provided',
  'no-further-action',
  'referred-on',
  'unable-to-contact',
] as const;
export type OutcomeCode = (typeof OUTCOME_CODES)[number];

/** Every referral command names the referral it is about. */
export class ReferralCommandV1 {
  @IsUUID()
  referralId!: string;
}

/** A command that must say why, in words the other party can read. */
export class ReasonedReferralCommandV1 extends ReferralCommandV1 {
  @IsString()
  @Length(1, MAX_TEXT)
  @PersonalData()
  reason!: string;
}

/** A command whose reason may also be given as a code (optional: older senders omit it). */
export class CodedReferralCommandV1 extends ReasonedReferralCommandV1 {
  @IsOptional()
  @IsIn(REASON_CODES)
  reasonCode?: ReasonCode;
}

export class AcknowledgeReferralV1 extends ReferralCommandV1 {}

export class AcceptReferralV1 extends ReferralCommandV1 {
  /** The person or team at the receiver who takes it on. */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @PersonalData()
  assignee?: string;
}

export class RejectReferralV1 extends CodedReferralCommandV1 {}

export class RedirectReferralV1 extends CodedReferralCommandV1 {
  @Matches(AGENCY_ID_PATTERN, { message: 'to must be an agency id' })
  to!: string;

  /** Id of the new referral the redirect creates; chosen by the sender so retries are safe. */
  @IsUUID()
  newReferralId!: string;
}

export class StartReferralV1 extends ReferralCommandV1 {}

export class HoldReferralV1 extends ReasonedReferralCommandV1 {}

export class CompleteReferralV1 extends ReferralCommandV1 {
  @IsString()
  @Length(1, MAX_TEXT)
  @PersonalData()
  outcome!: string;

  @IsIn(OUTCOME_CODES)
  outcomeCode!: OutcomeCode;
}

export class FailReferralV1 extends CodedReferralCommandV1 {}

export class CancelReferralV1 extends CodedReferralCommandV1 {}

export class NoteReferralV1 extends ReferralCommandV1 {
  @IsString()
  @Length(1, MAX_TEXT)
  @PersonalData()
  text!: string;
}
