import type { Command } from '@nestjs/cqrs';
import { MAKE_REFERRAL_V1, MakeReferralV1 } from '@backbone/contracts';
import type { CommandExecution } from '../command-intake/command-execution';
import type { OutcomeEvent } from '../command-intake/outcome-events';
import { MakeReferralCommand } from './make-referral/make-referral.command';
import { MakeReferralHandler } from './make-referral/make-referral.handler';

type CommandFactory = (execution: CommandExecution) => Command<OutcomeEvent>;

/** The @nestjs/cqrs command for each contract command type. */
export const COMMAND_FACTORIES: Record<string, CommandFactory> = {
  [MAKE_REFERRAL_V1]: (execution) =>
    new MakeReferralCommand(execution as CommandExecution<MakeReferralV1>),
};

export const COMMAND_HANDLERS = [MakeReferralHandler];
