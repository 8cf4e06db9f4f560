import { Injectable } from '@nestjs/common';
import { isFaultOfTheRecord } from '@backbone/database';
import { Directory } from '@backbone/directory';
import { rootLogger, sharedCounter } from '@backbone/observability';
import { CommandAnswers } from './command-answers';
import type { ProcessedCommand } from './command-processor';
import { triageCommand } from './command-triage';

/** A command record as it arrived, and the agency it arrived as. */
export interface ArrivedCommand {
  value: Buffer | string | null | undefined;
  agencyId: string;
}

const setAsideTotal = sharedCounter<'answer'>({
  name: 'backbone_commands_set_aside_total',
  help:
    'Commands that failed alone, not for a transient fault, and were set aside: rejected ' +
    '(INVALID) where they could be answered, dead-lettered where not',
  labelNames: ['answer'],
});

/** The name of what went wrong, never its message: that may quote the command's content. */
const faultName = (error: unknown): string => (error instanceof Error ? error.name : typeof error);

/**
 * Answers a command that failed on its own for a reason trying again cannot cure (a value the
 * database refuses, a shape no check foresaw): it is rejected, its rejection recorded like any
 * other outcome, so the records after it go on. With no id to answer it goes to the dead
 * letters. Every case is logged as an error and counted: it is a defect to be found.
 */
@Injectable()
export class SetAsideCommands {
  private readonly logger = rootLogger.child({ component: 'command-intake' });

  constructor(
    private readonly directory: Directory,
    private readonly answers: CommandAnswers,
  ) {}

  async answer(command: ArrivedCommand, error: unknown): Promise<ProcessedCommand> {
    const fault = faultName(error);
    const triaged = triageCommand(command.value, command.agencyId, this.directory);
    if (triaged.kind === 'unanswerable') return this.deadLetter(command, fault);
    const { agencyId, type, fingerprint, answering } = triaged.identity;
    this.logger.error(
      { err: error, agencyId, commandId: answering.commandId, commandType: type },
      'a command failed on its own and was set aside: rejected as INVALID',
    );
    try {
      const outcome = await this.answers.reject(agencyId, type, fingerprint, answering, {
        code: 'INVALID',
        reason: `the backbone could not process this command (${fault}); it was set aside for the operators`,
      });
      setAsideTotal.inc({ answer: 'rejected' });
      return { kind: 'answered', outcome };
    } catch (failure) {
      if (!isFaultOfTheRecord(failure)) throw failure;
      return this.deadLetter(command, fault);
    }
  }

  private deadLetter(command: ArrivedCommand, fault: string): ProcessedCommand {
    setAsideTotal.inc({ answer: 'dead_letter' });
    this.logger.error(
      { agencyId: command.agencyId, fault },
      'a command failed on its own and could not be answered: dead-lettered',
    );
    return { kind: 'unanswerable', reason: `the command could not be processed (${fault})` };
  }
}
