import { Module } from '@nestjs/common';
import { CommandHandlingModule } from './command-handling.module';
import { CommandSubmission } from './command-intake/command-submission';
import { OutcomeSender } from './command-intake/outcome-sender';

/**
 * Submitting one command over HTTP and answering it on the outcomes topic too: what
 * `POST /v1/commands` and the FHIR façade's writes share.
 */
@Module({
  imports: [CommandHandlingModule],
  providers: [OutcomeSender, CommandSubmission],
  exports: [OutcomeSender, CommandSubmission],
})
export class CommandSubmissionModule {}
