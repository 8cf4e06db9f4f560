// Re-driving dead letters (an operator command) and the event that records each re-drive.
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsString,
  IsUUID,
  Length,
  Matches,
  Min,
} from 'class-validator';

export const REDRIVE_DEAD_LETTERS_V1 = 'dead-letter.redrive.v1';
export const DEAD_LETTER_REDRIVEN_V1 = 'dead-letter.redriven.v1';

/** A re-drive names its dead letters one by one: never "all of them". */
export const MAX_REDRIVE_SELECTION = 25;

/** `dead-letter.redrive.v1`: send these dead letters' records back to their command topics. */
export class RedriveDeadLettersV1 {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_REDRIVE_SELECTION)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  deadLetterIds!: string[];
}

/**
 * `dead-letter.redriven.v1`: an operator sent a dead letter's record back to the topic it came
 * from. No content of the record: that may hold personal data in plain text.
 */
export class DeadLetterRedrivenV1 {
  @IsUUID()
  deadLetterId!: string;

  @IsString()
  @Length(1, 249)
  sourceTopic!: string;

  @IsInt()
  @Min(0)
  sourcePartition!: number;

  /** A 64-bit Kafka offset, as a decimal string. */
  @Matches(/^[0-9]{1,19}$/)
  sourceOffset!: string;

  /** The operator who ordered it. */
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/)
  redrivenBy!: string;
}

/** The stream that records what operators did with one dead letter. */
export const deadLetterStreamId = (deadLetterId: string): string => `deadletter-${deadLetterId}`;
