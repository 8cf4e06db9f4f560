import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CaseCommandV1, OPEN_CASE_V1, OpenCaseV1 } from '@backbone/contracts';
import {
  CaseCommand as DomainCaseCommand,
  CaseState,
  caseStreamId,
  decideCase,
} from '@backbone/domain';
import type { OutcomeEvent } from '@backbone/contracts';
import { SubjectRegistry } from '../../subjects/subject-registry';
import { DomainContext } from '../domain-context';
import { CommandDecider } from '../../command-intake/command-decider';
import { CaseCommand } from './case-command';

@CommandHandler(CaseCommand)
export class CaseCommandHandler implements ICommandHandler<CaseCommand, OutcomeEvent> {
  constructor(
    private readonly decider: CommandDecider,
    private readonly world: DomainContext,
    private readonly subjects: SubjectRegistry,
  ) {}

  async execute({ execution }: CaseCommand): Promise<OutcomeEvent> {
    const { envelope, agencyId } = execution;
    const data = execution.data as CaseCommandV1;
    const subjectId =
      envelope.type === OPEN_CASE_V1
        ? await this.subjects.resolve((data as OpenCaseV1).subject.identifiers)
        : undefined;
    const command = { type: envelope.type, data } as DomainCaseCommand;
    const context = {
      sender: agencyId,
      now: new Date(),
      subjectId,
      agencyExists: this.world.agencyExists,
    };
    return this.decider.decide(execution, caseStreamId(data.caseId), (state: CaseState) =>
      decideCase(command, state, context),
    );
  }
}
