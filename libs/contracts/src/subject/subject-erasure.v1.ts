// Erasure of a person's personal data (an operator command) and the event that records it.
import { IsString, Length, Matches } from 'class-validator';

export const ERASE_SUBJECT_V1 = 'subject.erase.v1';
export const SUBJECT_ERASED_V1 = 'subject.erased.v1';

/** `subject.erase.v1`: destroy the subject's data key; every history keeps `[erased]` fields. */
export class EraseSubjectV1 {
  /** The pseudonymous subject id (an auditor finds it from an identifier). */
  @IsString()
  @Length(1, 100)
  subjectId!: string;
}

/** `subject.erased.v1`: recorded with no personal data, on the stream `subject-<subjectId>`. */
export class SubjectErasedV1 {
  @IsString()
  @Length(1, 100)
  subjectId!: string;

  /** The operator who ordered it. */
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/)
  erasedBy!: string;
}

/** The stream that records what happened to a subject as a whole (erasure). */
export const subjectStreamId = (subjectId: string): string => `subject-${subjectId}`;
