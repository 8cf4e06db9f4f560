import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { decideMakeReferral, pseudonymousSubjectId, referralStreamId } from '@backbone/domain';
import type { OutcomeEvent } from '../../command-intake/outcome-events';
import { REFERRAL_SHAPE } from '../referral-shape';
import { DomainContext } from '../domain-context';
import { StreamDecider } from '../stream-decider';
import { MakeReferralCommand } from './make-referral.command';

@CommandHandler(MakeReferralCommand)
export class MakeReferralHandler implements ICommandHandler<MakeReferralCommand, OutcomeEvent> {
  constructor(
    private readonly decider: StreamDecider,
    private readonly world: DomainContext,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  execute({ execution }: MakeReferralCommand): Promise<OutcomeEvent> {
    const { data, agencyId } = execution;
    return this.decider.decide(
      execution,
      referralStreamId(data.referralId),
      REFERRAL_SHAPE,
      (state) =>
        decideMakeReferral(data, state, {
          from: agencyId,
          now: new Date(),
          subjectId: pseudonymousSubjectId(this.config.subjectIdKey, data.subject.identifiers[0]),
          acceptedCategoriesOf: this.world.acceptedCategoriesOf,
          decisionHoursOf: this.world.decisionHoursOf,
        }),
    );
  }
}
