import { IsRealTimestamp } from '../input-safety/real-timestamp';
import { PersonalData } from '../personal-data/personal-data';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsOptional,
  IsRFC3339,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { AGENCY_ID_PATTERN, REFERRAL_CATEGORIES, ReferralCategory } from '../agency';
import { LawfulBasis } from './lawful-basis';
import { PersonSubject } from './person-subject';

export const MAKE_REFERRAL_V1 = 'referral.make.v1';

export const REFERRAL_PRIORITIES = ['routine', 'urgent', 'asap', 'stat'] as const;
export type ReferralPriority = (typeof REFERRAL_PRIORITIES)[number];

/** `referral.make.v1`: the referrer asks another agency to act for a person. */
export class MakeReferralV1 {
  @IsUUID()
  referralId!: string;

  @Matches(AGENCY_ID_PATTERN, { message: 'to must be an agency id' })
  to!: string;

  @IsIn(REFERRAL_CATEGORIES)
  category!: ReferralCategory;

  @IsIn(REFERRAL_PRIORITIES)
  priority!: ReferralPriority;

  @IsString()
  @Length(1, 4000)
  @PersonalData()
  reason!: string;

  @IsDefined()
  @ValidateNested()
  @Type(() => PersonSubject)
  @PersonalData()
  subject!: PersonSubject;

  @IsDefined()
  @ValidateNested()
  @Type(() => LawfulBasis)
  lawfulBasis!: LawfulBasis;

  @IsOptional()
  @IsRFC3339()
  @IsRealTimestamp()
  dueBy?: string;
}
