import { Module } from '@nestjs/common';
import { CommandHandlingModule } from './command-handling.module';
import { CommandSubmissionModule } from './command-submission.module';
import { CommandsHttpController } from './command-intake/commands.http.controller';
import { DeadlineActions } from './deadlines/deadline-actions';
import { DeadlineTracking } from './deadlines/deadline-tracking';
import { DeadlineWatcher } from './deadlines/deadline-watcher';
import { PendingDeadlines } from './deadlines/pending-deadlines';
import { SchemasHttpController } from './command-intake/schemas.http.controller';
import { CodesHttpController } from './command-intake/codes.http.controller';
import { CommandGroups } from './command-intake/command-groups';
import { KafkaCommandConsumer } from './command-intake/kafka-command-consumer';

/** Takes commands from the command topics and `POST /v1/commands`; answers each exactly once. */
@Module({
  imports: [CommandHandlingModule, CommandSubmissionModule],
  controllers: [CommandsHttpController, SchemasHttpController, CodesHttpController],
  providers: [
    CommandGroups,
    KafkaCommandConsumer,
    PendingDeadlines,
    DeadlineTracking,
    DeadlineActions,
    DeadlineWatcher,
  ],
})
export class SectorServiceModule {}
