import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { OutcomeEvent } from '@backbone/contracts';
import { CommandDecider } from '../../command-intake/command-decider';
import { CommandDecisions } from '../command-decisions';
import { CaseCommand } from './case-command';

@CommandHandler(CaseCommand)
export class CaseCommandHandler implements ICommandHandler<CaseCommand, OutcomeEvent> {
  constructor(
    private readonly decider: CommandDecider,
    private readonly decisions: CommandDecisions,
  ) {}

  async execute({ execution }: CaseCommand): Promise<OutcomeEvent> {
    const { streamId, decide } = await this.decisions.forCase(execution);
    return this.decider.decide(execution, streamId, decide);
  }
}
