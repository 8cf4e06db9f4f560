import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  MAKE_REFERRAL_V1,
  MakeReferralV1,
  REDIRECT_REFERRAL_V1,
  RedirectReferralV1,
  ReferralCommandV1,
} from '@backbone/contracts';
import {
  Decision,
  ReferralState,
  decideMakeReferral,
  decideRedirectReferral,
  decideReferralLifecycle,
  referralStreamId,
} from '@backbone/domain';
import type { OutcomeEvent } from '@backbone/contracts';
import { SubjectRegistry } from '../../subjects/subject-registry';
import { DomainContext } from '../domain-context';
import { CommandDecider } from '../../command-intake/command-decider';
import { ReferralCommand } from './referral-command';

@CommandHandler(ReferralCommand)
export class ReferralCommandHandler implements ICommandHandler<ReferralCommand, OutcomeEvent> {
  constructor(
    private readonly decider: CommandDecider,
    private readonly world: DomainContext,
    private readonly subjects: SubjectRegistry,
  ) {}

  async execute({ execution }: ReferralCommand): Promise<OutcomeEvent> {
    const { envelope, agencyId } = execution;
    const data = execution.data as ReferralCommandV1;
    const decide = await this.decisionFor(envelope.type, data, agencyId);
    return this.decider.decide<ReferralState>(execution, referralStreamId(data.referralId), decide);
  }

  private async decisionFor(
    type: string,
    data: ReferralCommandV1,
    sender: string,
  ): Promise<(state: ReferralState) => Decision> {
    const now = new Date();
    if (type === MAKE_REFERRAL_V1) {
      const make = data as MakeReferralV1;
      const subjectId = await this.subjects.resolve(make.subject.identifiers);
      return (state) =>
        decideMakeReferral(make, state, {
          ...this.world.referralLookups,
          from: sender,
          now,
          subjectId,
        });
    }
    if (type === REDIRECT_REFERRAL_V1) {
      return (state) =>
        decideRedirectReferral(data as RedirectReferralV1, state, sender, {
          ...this.world.referralLookups,
          now,
        });
    }
    return (state) => decideReferralLifecycle(type, data, state, sender);
  }
}
