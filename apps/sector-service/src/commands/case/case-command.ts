import { Command } from '@nestjs/cqrs';
import type { CommandExecution } from '../../command-intake/command-execution';
import type { OutcomeEvent } from '@backbone/contracts';

/** Any `case.*` command that passed validation, on its way to the case's stream. */
export class CaseCommand extends Command<OutcomeEvent> {
  constructor(readonly execution: CommandExecution) {
    super();
  }
}
