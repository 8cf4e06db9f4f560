import { Module } from '@nestjs/common';
import { OperatorCommandsHttpController } from './operator-commands/operator-commands.http.controller';

/** What operators use: operator commands (erasure) so far; the console joins it with issue #10. */
@Module({ controllers: [OperatorCommandsHttpController] })
export class OpsConsoleModule {}
