import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandAnswers } from './command-intake/command-answers';
import { CommandLog } from './command-intake/command-log';
import { CommandProcessor } from './command-intake/command-processor';
import { CommandsHttpController } from './command-intake/commands.http.controller';
import { KafkaCommandConsumer } from './command-intake/kafka-command-consumer';
import { COMMAND_HANDLERS } from './commands/command-registry';
import { StreamDecider } from './commands/stream-decider';

/** Takes commands from the command topics and `POST /v1/commands`; answers each exactly once. */
@Module({
  imports: [CqrsModule],
  controllers: [CommandsHttpController],
  providers: [CommandLog, CommandAnswers, CommandProcessor, StreamDecider, KafkaCommandConsumer, ...COMMAND_HANDLERS],
})
export class SectorServiceModule {}
