import { Controller, Get, Param, ParseUUIDPipe, Query, UseGuards } from '@nestjs/common';
import { REFERRAL_STATUSES } from '@backbone/domain';
import type { Principal } from '@backbone/directory';
import {
  AllowedPrincipals,
  ApiKeyGuard,
  CurrentPrincipal,
  problem,
  requireOwnAgency,
} from '@backbone/http';
import { CaseSummary, CaseViewsQueries } from './case-views.queries';
import { decodePageToken } from './page-token';
import { Page, ReferralSummary, ReferralViewsQueries } from './referral-views.queries';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;
const CASE_STATUSES = ['open', 'closed'];

function checkedStatus(status: string | undefined, allowed: readonly string[]): string | undefined {
  if (status === undefined || status === '') return undefined;
  if (!allowed.includes(status))
    throw problem(400, 'Bad Request', `status must be one of: ${allowed.join(', ')}`);
  return status;
}

function pageSize(limit: string | undefined): number {
  if (limit === undefined || limit === '') return DEFAULT_PAGE_SIZE;
  const size = Number(limit);
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw problem(400, 'Bad Request', `limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return size;
}

/** An agency's own lists and the referrals it is a party to (CONTRACT §7). */
@Controller('v1')
@UseGuards(ApiKeyGuard)
@AllowedPrincipals('agency')
export class AgencyListsHttpController {
  constructor(
    private readonly referrals: ReferralViewsQueries,
    private readonly cases: CaseViewsQueries,
  ) {}

  @Get('agencies/:agencyId/inbox')
  inbox(
    @Param('agencyId') agencyId: string,
    @Query('status') status: string | undefined,
    @Query('page') page: string | undefined,
    @Query('limit') limit: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Page<ReferralSummary>> {
    requireOwnAgency(principal, agencyId, 'inbox');
    const filter = checkedStatus(status, REFERRAL_STATUSES);
    return this.referrals.inbox(agencyId, filter, decodePageToken(page), pageSize(limit));
  }

  @Get('agencies/:agencyId/outbox')
  outbox(
    @Param('agencyId') agencyId: string,
    @Query('status') status: string | undefined,
    @Query('page') page: string | undefined,
    @Query('limit') limit: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Page<ReferralSummary>> {
    requireOwnAgency(principal, agencyId, 'outbox');
    const filter = checkedStatus(status, REFERRAL_STATUSES);
    return this.referrals.outbox(agencyId, filter, decodePageToken(page), pageSize(limit));
  }

  @Get('agencies/:agencyId/cases')
  async casesOf(
    @Param('agencyId') agencyId: string,
    @Query('status') status: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ items: CaseSummary[] }> {
    requireOwnAgency(principal, agencyId, 'cases');
    return { items: await this.cases.casesOf(agencyId, checkedStatus(status, CASE_STATUSES)) };
  }

  @Get('referrals/:referralId')
  async referral(
    @Param('referralId', new ParseUUIDPipe()) referralId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReferralSummary> {
    const referral = await this.referrals.one(referralId);
    // Whether a referral exists is itself not another agency's to know: 404 either way.
    if (!referral || (referral.from !== principal.id && referral.to !== principal.id)) {
      throw problem(404, 'Not Found', `no referral ${referralId} is known to you`);
    }
    return referral;
  }
}
