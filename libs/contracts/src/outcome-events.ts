import { randomUUID } from 'node:crypto';
// The outcome envelopes (CONTRACT §6): one per command, on the agency's outcomes topic and
// as the HTTP response.
import { CloudEvent, backboneSource } from './envelope/cloud-event';
import { boundedFieldErrors } from './input-safety/field-errors';
import { storableText } from './input-safety/storable-text';
import {
  COMMAND_ACCEPTED,
  COMMAND_REJECTED,
  CommandAcceptedData,
  CommandRejectedData,
} from './outcome';

export type OutcomeEvent = CloudEvent<CommandAcceptedData> | CloudEvent<CommandRejectedData>;

export interface AnsweredCommand {
  commandId: string;
  subject: string;
  correlationId?: string;
  actor?: string;
  /** The backbone service answering; `sector-service` unless said. */
  answeredBy?: string;
  /** When it was answered (the outcome's `time`): now unless said. */
  answeredAt?: Date;
}

/** A command's subject is at most 200 characters; a refused one's may be anything. */
const MAX_SUBJECT_LENGTH = 200;
/** A rejection's reason may quote what was sent; it stays readable, and fits its topic. */
const MAX_REASON_LENGTH = 1_000;

function outcomeEnvelope<T>(type: string, command: AnsweredCommand, data: T): CloudEvent<T> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: backboneSource(command.answeredBy ?? 'sector-service'),
    type,
    time: (command.answeredAt ?? new Date()).toISOString(),
    // Echoed from what the agency sent, which may not be storable (a refused command's subject).
    subject: storableText(command.subject, MAX_SUBJECT_LENGTH),
    datacontenttype: 'application/json',
    data,
    correlationid: command.correlationId ?? command.commandId,
    causationid: command.commandId,
    ...(command.actor ? { actor: command.actor } : {}),
  };
}

export const acceptedOutcome = (
  command: AnsweredCommand,
  events: string[],
  streamVersion: number,
) =>
  outcomeEnvelope<CommandAcceptedData>(COMMAND_ACCEPTED, command, {
    commandId: command.commandId,
    events,
    streamVersion,
  });

/**
 * A rejection as it is recorded and sent: its reason and errors storable and bounded, so that
 * whatever the command held, its outcome fits the command log and the outcomes topic.
 */
export function rejectedOutcome(
  command: AnsweredCommand,
  { code, reason, errors }: Omit<CommandRejectedData, 'commandId' | 'errorCount'>,
): CloudEvent<CommandRejectedData> {
  const bounded = errors && boundedFieldErrors(errors);
  return outcomeEnvelope<CommandRejectedData>(COMMAND_REJECTED, command, {
    commandId: command.commandId,
    code,
    reason: storableText(reason, MAX_REASON_LENGTH),
    ...(bounded ? { errors: bounded.errors } : {}),
    ...(bounded && bounded.count > bounded.errors.length ? { errorCount: bounded.count } : {}),
  });
}
