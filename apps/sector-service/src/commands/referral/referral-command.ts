import { Command } from '@nestjs/cqrs';
import type { CommandExecution } from '../../command-intake/command-execution';
import type { OutcomeEvent } from '@backbone/contracts';

/** Any `referral.*` command that passed validation, on its way to the referral's stream. */
export class ReferralCommand extends Command<OutcomeEvent> {
  constructor(readonly execution: CommandExecution) {
    super();
  }
}
