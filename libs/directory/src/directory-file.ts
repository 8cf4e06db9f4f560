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

/** Event types: `<name>.v<version>`, as CONTRACT §4 and §5 name them. */
const EVENT_TYPE = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*\.v[0-9]+$/;

/**
 * A webhook the site configures centrally for an agency (CONTRACT §8): the agency cannot delete
 * or rotate it over HTTP; the file is where it changes. The secret is given here (the site hands
 * it to the agency) rather than made by the backbone.
 */
export class DirectoryWebhook {
  @Matches(/^[a-z0-9][a-z0-9-]{0,39}$/, {
    message: 'webhook id must be 1-40 lowercase letters, digits or "-"',
  })
  id!: string;

  @IsString()
  @Length(8, 2048)
  url!: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(EVENT_TYPE, {
    each: true,
    message: 'types entries must be event types like referral.made.v1',
  })
  types?: string[];

  @Matches(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, {
    message: 'secret must be "whsec_" and the base64 of 24 to 64 random bytes',
  })
  secret!: string;
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

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => DirectoryWebhook)
  webhooks?: DirectoryWebhook[];

  /**
   * Networks (CIDR) this agency's webhooks may reach although they are private or otherwise
   * special (an agency's receiver on the site's own network); none unless listed.
   */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^[0-9a-fA-F:.]+\/[0-9]{1,3}$/, {
    each: true,
    message: 'webhookAllowedNetworks entries must be CIDR networks like 10.20.0.0/16',
  })
  webhookAllowedNetworks?: string[];
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
