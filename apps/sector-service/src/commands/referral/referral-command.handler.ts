import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { OutcomeEvent } from '@backbone/contracts';
import { CommandDecider } from '../../command-intake/command-decider';
import { CommandDecisions } from '../command-decisions';
import { ReferralCommand } from './referral-command';

@CommandHandler(ReferralCommand)
export class ReferralCommandHandler implements ICommandHandler<ReferralCommand, OutcomeEvent> {
  constructor(
    private readonly decider: CommandDecider,
    private readonly decisions: CommandDecisions,
  ) {}

  async execute({ execution }: ReferralCommand): Promise<OutcomeEvent> {
    const { streamId, decide } = await this.decisions.forReferral(execution);
    return this.decider.decide(execution, streamId, decide);
  }
}
