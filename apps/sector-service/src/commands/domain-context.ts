import { Inject, Injectable } from '@nestjs/common';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import type { ReferralCategory, ReferralPriority } from '@backbone/contracts';
import { Directory } from '@backbone/directory';
import {
  CommandContext,
  DEFAULT_DECISION_HOURS,
  caseIdKeyOf,
  caseIdOfReferral,
} from '@backbone/domain';

/** What the pure domain functions need to know of the directory and keys, as plain lookups. */
@Injectable()
export class DomainContext {
  private readonly caseIdKey: string;

  constructor(
    private readonly directory: Directory,
    @Inject(BACKBONE_CONFIG) config: BackboneConfig,
  ) {
    this.caseIdKey = caseIdKeyOf(config.subjectIdKey);
  }

  /** The id of the case accepting a referral opens (keyed: see caseIdOfReferral). */
  readonly caseIdOf = (referralId: string): string => caseIdOfReferral(this.caseIdKey, referralId);

  readonly acceptedCategoriesOf = (agencyId: string): readonly ReferralCategory[] | undefined =>
    this.directory.agency(agencyId)?.accepts;

  readonly decisionHoursOf = (agencyId: string): Readonly<Record<ReferralPriority, number>> => ({
    ...DEFAULT_DECISION_HOURS,
    ...this.directory.agency(agencyId)?.decisionHours,
  });

  readonly agencyExists = (agencyId: string): boolean =>
    this.directory.agency(agencyId) !== undefined;

  /** The lookups a command's decision may use (CommandContext), without the key behind them. */
  get lookups(): Pick<
    CommandContext,
    'acceptedCategoriesOf' | 'decisionHoursOf' | 'caseIdOf' | 'agencyExists'
  > {
    return {
      acceptedCategoriesOf: this.acceptedCategoriesOf,
      decisionHoursOf: this.decisionHoursOf,
      caseIdOf: this.caseIdOf,
      agencyExists: this.agencyExists,
    };
  }
}
