import type { FieldError } from './field-error';

export const COMMAND_ACCEPTED = 'command.accepted';
export const COMMAND_REJECTED = 'command.rejected';

export const REJECTION_CODES = [
  'MALFORMED',
  'INVALID',
  'UNSUPPORTED_TYPE',
  'TOO_LARGE',
  'UNKNOWN_AGENCY',
  'FORBIDDEN',
  'NOT_FOUND',
  'INVALID_TRANSITION',
  'DUPLICATE',
  'CONFLICT',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

export interface CommandAcceptedData {
  commandId: string;
  events: string[];
  streamVersion: number;
}

export interface CommandRejectedData {
  commandId: string;
  code: RejectionCode;
  reason: string;
  /** At most the first 20 (MAX_FIELD_ERRORS) errors found. */
  errors?: FieldError[];
  /** How many errors there were in all, when there were more than `errors` lists. */
  errorCount?: number;
}

export type CommandOutcome =
  { kind: 'accepted'; data: CommandAcceptedData } | { kind: 'rejected'; data: CommandRejectedData };
