import type { Command } from '@nestjs/cqrs';
import { COMMAND_DATA_CLASSES } from '@backbone/contracts';
import type { CommandExecution } from '../command-intake/command-execution';
import type { OutcomeEvent } from '@backbone/contracts';
import { CaseCommand } from './case/case-command';
import { CaseCommandHandler } from './case/case-command.handler';
import { ReferralCommand } from './referral/referral-command';
import { ReferralCommandHandler } from './referral/referral-command.handler';

/** The @nestjs/cqrs command for a contract command type: one per aggregate. */
export function toBusCommand(execution: CommandExecution): Command<OutcomeEvent> {
  const { type } = execution.envelope;
  if (!COMMAND_DATA_CLASSES[type]) throw new Error(`no handler for ${type}`);
  return type.startsWith('case.') ? new CaseCommand(execution) : new ReferralCommand(execution);
}

export const COMMAND_HANDLERS = [ReferralCommandHandler, CaseCommandHandler];
