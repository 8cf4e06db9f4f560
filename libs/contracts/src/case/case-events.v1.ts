import { IsRealTimestamp } from '../input-safety/real-timestamp';
import { PersonalData } from '../personal-data/personal-data';
// The payloads of case events (CONTRACT §5).
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsOptional,
  IsRFC3339,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { AGENCY_ID_PATTERN } from '../agency';
import { LawfulBasis } from '../referral/lawful-basis';
import { PersonSubject } from '../referral/person-subject';
import { MAX_TEXT } from '../referral/referral-commands.v1';

export const CASE_OPENED_V1 = 'case.opened.v1';
export const CASE_CLOSED_V1 = 'case.closed.v1';
export const HANDOVER_PROPOSED_V1 = 'case.handover-proposed.v1';
export const HANDOVER_ACCEPTED_V1 = 'case.handover-accepted.v1';
export const HANDOVER_COMPLETED_V1 = 'case.handover-completed.v1';
export const HANDOVER_DECLINED_V1 = 'case.handover-declined.v1';
export const HANDOVER_CANCELLED_V1 = 'case.handover-cancelled.v1';

export class CaseEventV1 {
  @IsUUID()
  caseId!: string;
}

export class CaseOpenedV1 extends CaseEventV1 {
  /** The agency responsible for the case from now on. */
  @Matches(AGENCY_ID_PATTERN)
  responsible!: string;

  @IsString()
  @Length(1, 100)
  subjectId!: string;

  @IsDefined()
  @ValidateNested()
  @Type(() => PersonSubject)
  @PersonalData()
  subject!: PersonSubject;

  @IsDefined()
  @ValidateNested()
  @Type(() => LawfulBasis)
  lawfulBasis!: LawfulBasis;

  /** Set when accepting a referral opened the case. */
  @IsOptional()
  @IsUUID()
  fromReferralId?: string;
}

export class CaseClosedV1 extends CaseEventV1 {
  @IsString()
  @Length(1, MAX_TEXT)
  @PersonalData()
  reason!: string;
}

export class HandoverEventV1 extends CaseEventV1 {
  @IsUUID()
  handoverId!: string;
}

export class HandoverProposedV1 extends HandoverEventV1 {
  @Matches(AGENCY_ID_PATTERN)
  from!: string;

  @Matches(AGENCY_ID_PATTERN)
  to!: string;

  @IsString()
  @Length(1, MAX_TEXT)
  @PersonalData()
  reason!: string;

  @IsString()
  @Length(1, MAX_TEXT)
  @PersonalData()
  summary!: string;

  @IsOptional()
  @IsRFC3339()
  @IsRealTimestamp()
  effectiveAt?: string;
}

export class HandoverAcceptedV1 extends HandoverEventV1 {
  /** When responsibility moves (`case.handover-completed.v1`). */
  @IsRFC3339()
  @IsRealTimestamp()
  effectiveAt!: string;
}

export class HandoverCompletedV1 extends HandoverEventV1 {
  @Matches(AGENCY_ID_PATTERN)
  from!: string;

  @Matches(AGENCY_ID_PATTERN)
  to!: string;
}

export class HandoverClosedV1 extends HandoverEventV1 {
  @IsString()
  @Length(1, MAX_TEXT)
  @PersonalData()
  reason!: string;
}

export class HandoverDeclinedV1 extends HandoverClosedV1 {}
export class HandoverCancelledV1 extends HandoverClosedV1 {}
