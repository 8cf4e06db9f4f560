// The directory file format of CONTRACT §1, as validated classes.
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import {
  AGENCY_ID_PATTERN,
  REFERRAL_CATEGORIES,
  ReferralCategory,
  SECTORS,
  Sector,
} from '@backbone/contracts';

import { DecisionHours } from './decision-hours';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export class PrincipalEntry {
  @Matches(AGENCY_ID_PATTERN, { message: 'id must match ^[a-z0-9][a-z0-9-]{1,62}$' })
  id!: string;

  @IsArray()
  @ArrayMaxSize(10)
  @Matches(SHA256_HEX, {
    each: true,
    message: 'apiKeySha256 entries must be 64 lowercase hex digits',
  })
  apiKeySha256!: string[];
}

export class AgencyEntry extends PrincipalEntry {
  @IsString()
  @Length(1, 200)
  name!: string;

  @IsIn(SECTORS)
  sector!: Sector;

  @IsArray()
  @IsIn(REFERRAL_CATEGORIES, { each: true })
  accepts!: ReferralCategory[];

  @IsOptional()
  @ValidateNested()
  @Type(() => DecisionHours)
  decisionHours?: DecisionHours;
}

/** Someone who reads the insights of a set of agencies (a municipality, a borough): CONTRACT §8. */
export class DirectorEntry extends PrincipalEntry {
  @IsArray()
  @ArrayNotEmpty({ message: 'agencies must name at least one agency' })
  @ArrayMaxSize(10000)
  @ArrayUnique({ message: 'agencies must not name an agency twice' })
  @Matches(AGENCY_ID_PATTERN, {
    each: true,
    message: 'agencies entries must be agency ids (^[a-z0-9][a-z0-9-]{1,62}$)',
  })
  agencies!: string[];
}

export class DirectoryFile {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => AgencyEntry)
  agencies!: AgencyEntry[];

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PrincipalEntry)
  auditors!: PrincipalEntry[];

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PrincipalEntry)
  operators!: PrincipalEntry[];

  /** Absent in a file without directors. */
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => DirectorEntry)
  directors?: DirectorEntry[];
}
