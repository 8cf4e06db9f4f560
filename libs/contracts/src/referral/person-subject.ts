import { PersonalData } from '../personal-data/personal-data';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  ValidateNested,
} from 'class-validator';

/** One way an agency identifies a person, e.g. an NHS number or a CPR number. */
export class PersonIdentifier {
  @IsString()
  @Length(1, 200)
  system!: string;

  @IsString()
  @Length(1, 200)
  value!: string;
}

export class PersonName {
  @IsString()
  @Length(1, 200)
  given!: string;

  @IsString()
  @Length(1, 200)
  family!: string;
}

/** The person a referral or case is about. */
export class PersonSubject {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => PersonIdentifier)
  @PersonalData()
  identifiers!: PersonIdentifier[];

  @IsOptional()
  @ValidateNested()
  @Type(() => PersonName)
  @PersonalData()
  name?: PersonName;

  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Length(10, 10, { message: 'birthDate must be a date as YYYY-MM-DD' })
  @PersonalData()
  birthDate?: string;
}
