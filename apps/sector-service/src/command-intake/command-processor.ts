import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Directory } from '@backbone/directory';
import { toBusCommand } from '../commands/command-registry';
import { CommandAnswers } from './command-answers';
import { CommandExecution } from './command-execution';
import { CommandLog, commandFingerprint, withActor } from './command-log';
import { OutcomeEvent, rejectedOutcome } from '@backbone/contracts';
import { parseCommand } from './parse-command';

export type ProcessedCommand =
  | { kind: 'answered'; outcome: OutcomeEvent }
  /** No command id could be read: nothing can be answered, the record goes to the dead letters. */
  | { kind: 'unanswerable'; reason: string };

/**
 * The one path every command takes, from Kafka or HTTP: parse, check, look up earlier
 * deliveries, decide, record one outcome. `channelAgency` is the agency the command arrived
 * as (its command topic, or its API key): it is authoritative, whatever `source` says.
 */
@Injectable()
export class CommandProcessor {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly directory: Directory,
    private readonly log: CommandLog,
    private readonly answers: CommandAnswers,
  ) {}

  async process(
    raw: Buffer | string | null | undefined,
    channelAgency: string,
  ): Promise<ProcessedCommand> {
    const parsed = parseCommand(raw);
    if (parsed.kind === 'unanswerable') return parsed;

    const content = parsed.kind === 'refused' ? parsed.content : parsed.envelope;
    const commandId = parsed.kind === 'refused' ? parsed.commandId : parsed.envelope.id;
    const subject = parsed.kind === 'refused' ? parsed.subject : parsed.envelope.subject;
    const declaredType = (content as { type?: unknown }).type;
    const type = typeof declaredType === 'string' ? declaredType : '';
    const fingerprint = commandFingerprint(content);
    const answered = (outcome: OutcomeEvent): ProcessedCommand => ({ kind: 'answered', outcome });
    const refuse = (code: Parameters<CommandAnswers['reject']>[4]['code'], reason: string) =>
      this.answers.reject(
        channelAgency,
        type,
        fingerprint,
        { commandId, subject },
        { code, reason },
      );

    const earlier = await this.log.find(channelAgency, commandId);
    if (earlier) {
      if (earlier.payloadSha256.equals(fingerprint)) {
        // Same content, so the same actor the first answer carried (the log does not keep it).
        const actor = parsed.kind === 'refused' ? undefined : parsed.envelope.actor;
        return answered(withActor(earlier.outcome as OutcomeEvent, actor));
      }
      // Not recorded: the first command with this id keeps its outcome.
      return answered(
        rejectedOutcome(
          { commandId, subject },
          {
            code: 'DUPLICATE',
            reason: `command id ${commandId} was already used for a different command`,
          },
        ),
      );
    }
    if (parsed.kind === 'refused') {
      const { code, reason, errors } = parsed;
      return answered(
        await this.answers.reject(
          channelAgency,
          type,
          fingerprint,
          { commandId, subject },
          { code, reason, errors },
        ),
      );
    }
    if (!this.directory.agency(channelAgency)) {
      return answered(
        await refuse('UNKNOWN_AGENCY', `agency ${channelAgency} is not in the directory`),
      );
    }
    if (parsed.sourceAgency !== channelAgency) {
      return answered(
        await refuse(
          'FORBIDDEN',
          `source names ${parsed.sourceAgency}, but this command came from ${channelAgency}`,
        ),
      );
    }
    const execution = new CommandExecution(
      parsed.envelope,
      parsed.data,
      channelAgency,
      fingerprint,
    );
    return answered(await this.commandBus.execute(toBusCommand(execution)));
  }
}
