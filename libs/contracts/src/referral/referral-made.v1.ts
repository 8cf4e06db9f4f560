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
import { REFERRAL_PRIORITIES, ReferralPriority } from './make-referral.v1';
import { PersonSubject } from './person-subject';

export const REFERRAL_MADE_V1 = 'referral.made.v1';

/** The person as events carry them (personal data: see the data-protection issue). */
export type PersonSubjectData = PersonSubject;

/** `referral.made.v1`: a referral now exists and awaits the receiver's decision. */
export class ReferralMadeV1 {
  @IsUUID()
  referralId!: string;

  @Matches(AGENCY_ID_PATTERN)
  from!: string;

  @Matches(AGENCY_ID_PATTERN)
  to!: string;

  @IsIn(REFERRAL_CATEGORIES)
  category!: ReferralCategory;

  @IsIn(REFERRAL_PRIORITIES)
  priority!: ReferralPriority;

  @IsString()
  @Length(1, 4000)
  @PersonalData()
  reason!: string;

  /** Pseudonymous id of the person (never a raw identifier). */
  @IsString()
  @Length(1, 100)
  subjectId!: string;

  @IsDefined()
  @ValidateNested()
  @Type(() => PersonSubject)
  @PersonalData()
  subject!: PersonSubjectData;

  @IsDefined()
  @ValidateNested()
  @Type(() => LawfulBasis)
  lawfulBasis!: LawfulBasis;

  /** When the receiver's decision is due. */
  @IsRFC3339()
  @IsRealTimestamp()
  decisionDueBy!: string;

  @IsOptional()
  @IsRFC3339()
  @IsRealTimestamp()
  dueBy?: string;

  /** Set when this referral was made by redirecting another: that referral's id. */
  @IsOptional()
  @IsUUID()
  redirectedFrom?: string;

  /** The agency that redirected it here (the original's receiver). */
  @IsOptional()
  @Matches(AGENCY_ID_PATTERN)
  redirectedBy?: string;
}
