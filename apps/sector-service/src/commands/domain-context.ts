import { Injectable } from '@nestjs/common';
import type { ReferralCategory, ReferralPriority } from '@backbone/contracts';
import { Directory } from '@backbone/directory';
import { DEFAULT_DECISION_HOURS } from '@backbone/domain';

/** What the pure domain functions need to know of the directory, as plain lookups. */
@Injectable()
export class DomainContext {
  constructor(private readonly directory: Directory) {}

  readonly acceptedCategoriesOf = (agencyId: string): readonly ReferralCategory[] | undefined =>
    this.directory.agency(agencyId)?.accepts;

  readonly decisionHoursOf = (agencyId: string): Readonly<Record<ReferralPriority, number>> => ({
    ...DEFAULT_DECISION_HOURS,
    ...this.directory.agency(agencyId)?.decisionHours,
  });

  readonly agencyExists = (agencyId: string): boolean =>
    this.directory.agency(agencyId) !== undefined;

  /** The lookups deciding on a new or redirected referral needs. */
  get referralLookups(): Pick<DomainContext, 'acceptedCategoriesOf' | 'decisionHoursOf'> {
    return {
      acceptedCategoriesOf: this.acceptedCategoriesOf,
      decisionHoursOf: this.decisionHoursOf,
    };
  }
}
