import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { Directory, Principal } from '@backbone/directory';
import { AllowedPrincipals, ApiKeyGuard, CurrentPrincipal, problem } from '@backbone/http';
import { AgencyStatistics, AgencyStatisticsQueries } from './agency-statistics.queries';

/** An agency's figures: to the agency itself, and to operators (the ops console). */
@Controller('v1/agencies/:agencyId/statistics')
@UseGuards(ApiKeyGuard)
@AllowedPrincipals('agency', 'operator')
export class AgencyStatisticsHttpController {
  constructor(
    private readonly statistics: AgencyStatisticsQueries,
    private readonly directory: Directory,
  ) {}

  @Get()
  of(
    @Param('agencyId') agencyId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AgencyStatistics> {
    if (principal.kind === 'agency' && principal.id !== agencyId) {
      throw problem(
        403,
        'Forbidden',
        `you are ${principal.id}; you can read only your own statistics`,
      );
    }
    if (!this.directory.agency(agencyId)) throw problem(404, 'Not Found', `no agency ${agencyId}`);
    return this.statistics.of(agencyId);
  }
}
