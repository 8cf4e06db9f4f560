import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandAnswers } from './command-intake/command-answers';
import { CommandDecider } from './command-intake/command-decider';
import { DecideCommandHandler } from './command-intake/decide-command';
import { CommandLog } from './command-intake/command-log';
import { CommandProcessor } from './command-intake/command-processor';
import { CommandBatchProcessor } from './command-intake/command-batch-processor';
import { SetAsideCommands } from './command-intake/set-aside-commands';
import { DomainContext } from './commands/domain-context';
import { StreamDecider } from './commands/stream-decider';
import { AppendSealing } from './commands/append-sealing';
import { CommandDecisions } from './commands/command-decisions';

/** Deciding commands and recording their one outcome, whatever channel they came by. */
@Module({
  imports: [CqrsModule],
  providers: [
    DomainContext,
    CommandDecider,
    CommandLog,
    CommandAnswers,
    CommandProcessor,
    CommandBatchProcessor,
    SetAsideCommands,
    StreamDecider,
    AppendSealing,
    CommandDecisions,
    DecideCommandHandler,
  ],
  exports: [CommandProcessor, CommandBatchProcessor, SetAsideCommands, StreamDecider],
})
export class CommandHandlingModule {}
