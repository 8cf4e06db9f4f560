import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { OutcomeEvent } from '@backbone/contracts';
import { Directory } from '@backbone/directory';
import { CommandAnswers } from './command-answers';
import { CommandLog } from './command-log';
import { DecideCommand } from './decide-command';
import { answerFromLog, triageCommand } from './command-triage';

export type ProcessedCommand =
  | { kind: 'answered'; outcome: OutcomeEvent }
  /** No command id could be read: nothing can be answered, the record goes to the dead letters. */
  | { kind: 'unanswerable'; reason: string };

/**
 * The path of one command, from Kafka or HTTP: parse, check, look up earlier deliveries,
 * decide, record one outcome. `channelAgency` is the agency the command arrived as (its
 * command topic, or its API key): it is authoritative, whatever `source` says.
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
    traceparent?: string,
  ): Promise<ProcessedCommand> {
    const triaged = triageCommand(raw, channelAgency, this.directory, traceparent);
    if (triaged.kind === 'unanswerable') return triaged;
    const answered = (outcome: OutcomeEvent): ProcessedCommand => ({ kind: 'answered', outcome });
    const { identity } = triaged;
    const earlier = await this.log.find(channelAgency, identity.answering.commandId);
    if (earlier) return answered(answerFromLog(triaged, earlier));
    if (triaged.kind === 'refused') {
      const { agencyId, type, fingerprint, answering } = identity;
      return answered(
        await this.answers.reject(agencyId, type, fingerprint, answering, triaged.rejection),
      );
    }
    return answered(await this.commandBus.execute(new DecideCommand(triaged.execution)));
  }
}
