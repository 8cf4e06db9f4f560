import { IsRealTimestamp } from '../input-safety/real-timestamp';
import {
  Equals,
  IsDefined,
  IsObject,
  IsRFC3339,
  IsString,
  IsUUID,
  Length,
  Matches,
} from 'class-validator';
import { EraseSubjectV1, ERASE_SUBJECT_V1 } from '../subject/subject-erasure.v1';
import {
  REDRIVE_DEAD_LETTERS_V1,
  RedriveDeadLettersV1,
} from '../dead-letter/dead-letter-redrive.v1';

export const OPERATOR_SOURCE_PATTERN = /^operator\/[a-z0-9][a-z0-9-]{1,62}$/;

/** A command from an operator (`POST /v1/operator/commands`), in the same CloudEvents form. */
export class OperatorCommandEnvelope {
  @Equals('1.0')
  specversion!: '1.0';

  /** The idempotency key: the same id again gets the same outcome. */
  @IsUUID()
  id!: string;

  @Matches(OPERATOR_SOURCE_PATTERN, { message: 'source must be "operator/<operatorId>"' })
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

  @IsDefined()
  @IsObject()
  data!: Record<string, unknown>;
}

/** Every operator command type, with the class its `data` satisfies. */
export const OPERATOR_COMMAND_DATA_CLASSES: Record<string, new () => object> = {
  [ERASE_SUBJECT_V1]: EraseSubjectV1,
  [REDRIVE_DEAD_LETTERS_V1]: RedriveDeadLettersV1,
};

export const operatorOfSource = (source: string): string => source.slice('operator/'.length);
