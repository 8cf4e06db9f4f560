// What can be known of a delivered command before any I/O: whom to answer, whether it is
// refused outright (malformed, invalid, forged sender, unknown agency) or goes on to be decided.
import {
  CommandRejectedData,
  OutcomeEvent,
  rejectedOutcome,
  storableText,
  type AnsweredCommand,
} from '@backbone/contracts';
import type { Directory } from '@backbone/directory';
import { CommandExecution } from '../commands/command-execution';
import { LoggedCommand, commandFingerprint, withActor } from './command-log';
import { parseCommand } from './parse-command';

/** The command's identity: whose it is, its id, and the hash that tells a redelivery apart. */
export interface CommandIdentity {
  agencyId: string;
  type: string;
  fingerprint: Buffer;
  answering: AnsweredCommand;
}

export type TriagedCommand =
  /** No command id could be read: nothing can be answered, the record goes to the dead letters. */
  | { kind: 'unanswerable'; reason: string }
  | {
      kind: 'refused';
      identity: CommandIdentity;
      rejection: Omit<CommandRejectedData, 'commandId'>;
    }
  | { kind: 'executable'; identity: CommandIdentity; execution: CommandExecution };

/**
 * `channelAgency` is the agency the command arrived as: authoritative, whatever `source` says.
 * Never throws: a command that cannot be read for a reason no check foresaw is refused (or, with
 * no id to answer, dead-lettered), so that one record cannot stop the records after it.
 */
export function triageCommand(
  raw: Buffer | string | null | undefined,
  channelAgency: string,
  directory: Directory,
  traceparent?: string,
): TriagedCommand {
  try {
    return triage(raw, channelAgency, directory, traceparent);
  } catch (error) {
    return unreadable(raw, channelAgency, error);
  }
}

function triage(
  raw: Buffer | string | null | undefined,
  channelAgency: string,
  directory: Directory,
  traceparent?: string,
): TriagedCommand {
  const parsed = parseCommand(raw);
  if (parsed.kind === 'unanswerable') return parsed;
  if (parsed.kind === 'refused') {
    const { content, commandId, subject, code, reason, errors } = parsed;
    const declaredType = (content as { type?: unknown }).type;
    const identity = {
      agencyId: channelAgency,
      // Stored in the command log: as sent, unless it could not be stored so.
      type: typeof declaredType === 'string' ? storableText(declaredType, 100) : '',
      fingerprint: commandFingerprint(content, raw ?? ''),
      answering: { commandId, subject },
    };
    return { kind: 'refused', identity, rejection: { code, reason, errors } };
  }
  const { envelope, data, sourceAgency } = parsed;
  const fingerprint = commandFingerprint(envelope);
  const identity = {
    agencyId: channelAgency,
    type: envelope.type,
    fingerprint,
    answering: { commandId: envelope.id, subject: envelope.subject },
  };
  if (!directory.agency(channelAgency)) {
    const reason = `agency ${channelAgency} is not in the directory`;
    return { kind: 'refused', identity, rejection: { code: 'UNKNOWN_AGENCY', reason } };
  }
  if (sourceAgency !== channelAgency) {
    const reason = `source names ${sourceAgency}, but this command came from ${channelAgency}`;
    return { kind: 'refused', identity, rejection: { code: 'FORBIDDEN', reason } };
  }
  const execution = new CommandExecution(envelope, data, channelAgency, fingerprint, traceparent);
  return {
    kind: 'executable',
    identity: { ...identity, answering: execution.answering },
    execution,
  };
}

/**
 * The answer to a command whose id was answered before: that outcome again for the same
 * content (with this delivery's actor, which the log does not keep), else a duplicate.
 */
export function answerFromLog(
  { identity }: Exclude<TriagedCommand, { kind: 'unanswerable' }>,
  earlier: LoggedCommand,
): OutcomeEvent {
  if (earlier.payloadSha256.equals(identity.fingerprint)) {
    return withActor(earlier.outcome as OutcomeEvent, identity.answering.actor);
  }
  // Not recorded: the first command with this id keeps its outcome.
  const { commandId, subject } = identity.answering;
  return rejectedOutcome(
    { commandId, subject },
    {
      code: 'DUPLICATE',
      reason: `command id ${commandId} was already used for a different command`,
    },
  );
}

const COMMAND_ID = /"id"\s*:\s*"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"/i;

/**
 * A command whose triage failed unexpectedly: refused MALFORMED when an id can still be found in
 * its text, else unanswerable. The error's message is not passed on: it may quote the input.
 */
function unreadable(
  raw: Buffer | string | null | undefined,
  channelAgency: string,
  error: unknown,
): TriagedCommand {
  const fault = error instanceof Error ? error.name : typeof error;
  const text = raw ? raw.toString().slice(0, 4_096) : '';
  const commandId = COMMAND_ID.exec(text)?.[1];
  const reason = `the command could not be read (${fault})`;
  if (!commandId) return { kind: 'unanswerable', reason };
  const identity = {
    agencyId: channelAgency,
    type: '',
    fingerprint: commandFingerprint(undefined, raw ?? ''),
    answering: { commandId: commandId.toLowerCase(), subject: '' },
  };
  return { kind: 'refused', identity, rejection: { code: 'MALFORMED', reason } };
}
