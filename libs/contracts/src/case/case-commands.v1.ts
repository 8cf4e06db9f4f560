import { IsRealTimestamp } from '../input-safety/real-timestamp';
import { PersonalData } from '../personal-data/personal-data';
// The data of case commands (CONTRACT §5).
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

export const OPEN_CASE_V1 = 'case.open.v1';
export const CLOSE_CASE_V1 = 'case.close.v1';
export const PROPOSE_HANDOVER_V1 = 'case.handover.propose.v1';
export const ACCEPT_HANDOVER_V1 = 'case.handover.accept.v1';
export const DECLINE_HANDOVER_V1 = 'case.handover.decline.v1';
export const CANCEL_HANDOVER_V1 = 'case.handover.cancel.v1';

export class CaseCommandV1 {
  @IsUUID()
  caseId!: string;
}

export class OpenCaseV1 extends CaseCommandV1 {
  @IsDefined()
  @ValidateNested()
  @Type(() => PersonSubject)
  @PersonalData()
  subject!: PersonSubject;

  @IsDefined()
  @ValidateNested()
  @Type(() => LawfulBasis)
  lawfulBasis!: LawfulBasis;
}

export class CloseCaseV1 extends CaseCommandV1 {
  @IsString()
  @Length(1, MAX_TEXT)
  @PersonalData()
  reason!: string;
}

export class HandoverCommandV1 extends CaseCommandV1 {
  @IsUUID()
  handoverId!: string;
}

export class ProposeHandoverV1 extends HandoverCommandV1 {
  @Matches(AGENCY_ID_PATTERN, { message: 'to must be an agency id' })
  to!: string;

  @IsString()
  @Length(1, MAX_TEXT)
  @PersonalData()
  reason!: string;

  /** What the receiving agency needs to know to take the case on. */
  @IsString()
  @Length(1, MAX_TEXT)
  @PersonalData()
  summary!: string;

  /** When responsibility should move, once accepted; at acceptance when absent. */
  @IsOptional()
  @IsRFC3339()
  @IsRealTimestamp()
  effectiveAt?: string;
}

export class AcceptHandoverV1 extends HandoverCommandV1 {}

export class DeclineHandoverV1 extends HandoverCommandV1 {
  @IsString()
  @Length(1, MAX_TEXT)
  @PersonalData()
  reason!: string;
}

export class CancelHandoverV1 extends HandoverCommandV1 {
  @IsString()
  @Length(1, MAX_TEXT)
  @PersonalData()
  reason!: string;
}
