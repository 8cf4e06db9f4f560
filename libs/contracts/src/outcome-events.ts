import { randomUUID } from 'node:crypto';
// The outcome envelopes (CONTRACT §6): one per command, on the agency's outcomes topic and
// as the HTTP response.
import { CloudEvent, backboneSource } from './envelope/cloud-event';
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
}

function outcomeEnvelope<T>(type: string, command: AnsweredCommand, data: T): CloudEvent<T> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: backboneSource(command.answeredBy ?? 'sector-service'),
    type,
    time: new Date().toISOString(),
    subject: command.subject,
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

export const rejectedOutcome = (
  command: AnsweredCommand,
  rejection: Omit<CommandRejectedData, 'commandId'>,
) =>
  outcomeEnvelope<CommandRejectedData>(COMMAND_REJECTED, command, {
    commandId: command.commandId,
    ...rejection,
  });
