import type { FieldError } from './validation';

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
  errors?: FieldError[];
}

export type CommandOutcome =
  { kind: 'accepted'; data: CommandAcceptedData } | { kind: 'rejected'; data: CommandRejectedData };
