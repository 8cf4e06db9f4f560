import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import type { Principal } from '@backbone/directory';
import { AllowedPrincipals, ApiKeyGuard, CurrentPrincipal, problem } from '@backbone/http';
import { ReferralSummary, ReferralViewsQueries } from './referral-views.queries';

const PAGE_SIZE = 50;

/** An agency's own lists (CONTRACT §7); another agency's list is forbidden. */
@Controller('v1/agencies/:agencyId')
@UseGuards(ApiKeyGuard)
@AllowedPrincipals('agency')
export class AgencyListsHttpController {
  constructor(private readonly queries: ReferralViewsQueries) {}

  @Get('inbox')
  async inbox(
    @Param('agencyId') agencyId: string,
    @Query('status') status: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ items: ReferralSummary[] }> {
    if (principal.id !== agencyId) {
      throw problem(403, 'Forbidden', `you are ${principal.id}; you can read only your own inbox`);
    }
    return { items: await this.queries.inbox(agencyId, status, PAGE_SIZE) };
  }
}
