import { randomUUID } from 'node:crypto';
import {
  COMMAND_ACCEPTED,
  COMMAND_REJECTED,
  CloudEvent,
  CommandAcceptedData,
  CommandRejectedData,
  backboneSource,
} from '@backbone/contracts';

export type OutcomeEvent = CloudEvent<CommandAcceptedData> | CloudEvent<CommandRejectedData>;

export interface AnsweredCommand {
  commandId: string;
  subject: string;
  correlationId?: string;
  actor?: string;
}

function outcomeEnvelope<T>(type: string, command: AnsweredCommand, data: T): CloudEvent<T> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: backboneSource('sector-service'),
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
