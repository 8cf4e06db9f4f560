import { Command } from '@nestjs/cqrs';
import type { MakeReferralV1 } from '@backbone/contracts';
import type { CommandExecution } from '../../command-intake/command-execution';
import type { OutcomeEvent } from '../../command-intake/outcome-events';

export class MakeReferralCommand extends Command<OutcomeEvent> {
  constructor(readonly execution: CommandExecution<MakeReferralV1>) {
    super();
  }
}
