import { IsRealTimestamp } from '../input-safety/real-timestamp';
import { PersonalData } from '../personal-data/personal-data';
import {
  Equals,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsRFC3339,
  IsString,
  IsUUID,
  Length,
  Matches,
} from 'class-validator';

export const COMMAND_SOURCE_PATTERN = /^agency\/[a-z0-9][a-z0-9-]{1,62}$/;

/** A command as an agency sends it: validated before anything else is looked at. */
export class CommandEnvelope {
  @Equals('1.0')
  specversion!: '1.0';

  @IsUUID()
  id!: string;

  @Matches(COMMAND_SOURCE_PATTERN, { message: 'source must be "agency/<agencyId>"' })
  source!: string;

  @IsString()
  @Length(1, 100)
  type!: string;

  @IsRFC3339()
  @IsRealTimestamp()
  time!: string;

  @IsString()
  @Length(1, 200)
  subject!: string;

  @IsOptional()
  @IsIn(['application/json'])
  datacontenttype?: 'application/json';

  @IsDefined()
  @IsObject()
  data!: Record<string, unknown>;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  @PersonalData()
  actor?: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  correlationid?: string;
}

export const agencyOfSource = (source: string): string => source.slice('agency/'.length);
