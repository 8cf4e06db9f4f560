import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { OutcomeEvent } from '@backbone/contracts';
import { CommandDecisions } from '../commands/command-decisions';
import type { CommandExecution } from '../commands/command-execution';
import { CommandDecider } from './command-decider';

/** A command that passed every check of its envelope and data, on its way to be decided. */
export class DecideCommand extends Command<OutcomeEvent> {
  constructor(readonly execution: CommandExecution) {
    super();
  }
}

/** Every contract command type takes the same way: prepared, decided on its stream, answered. */
@CommandHandler(DecideCommand)
export class DecideCommandHandler implements ICommandHandler<DecideCommand, OutcomeEvent> {
  constructor(
    private readonly decider: CommandDecider,
    private readonly decisions: CommandDecisions,
  ) {}

  async execute({ execution }: DecideCommand): Promise<OutcomeEvent> {
    const { streamId, decide } = await this.decisions.prepare(execution);
    return this.decider.decide(execution, streamId, decide);
  }
}
