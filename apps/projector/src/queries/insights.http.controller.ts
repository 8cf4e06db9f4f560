import { Controller, Get, Headers, Inject, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { Directory, Principal, isDirector } from '@backbone/directory';
import { AllowedPrincipals, ApiKeyGuard, CurrentPrincipal, problem } from '@backbone/http';
import { CooperationFlowsQueries } from './cooperation-flows.queries';
import { flowsCsv } from './flows-csv';
import { monthRange } from './month-range';
import {
  ShownFlow,
  ShownRedirectChains,
  ShownSectorFlow,
  shownFlow,
  shownRedirectChains,
  shownSectorFlows,
} from './shown-flows';

export interface FlowsAnswer {
  director: string;
  /** The agencies of the director's scope: flows with one of them on either side are shown. */
  agencies: readonly string[];
  from: string;
  to: string;
  /** Counts below this are shown as `"<threshold"`; figures over fewer referrals are null. */
  threshold: number;
  agencyFlows: ShownFlow[];
  sectorFlows: ShownSectorFlow[];
  redirectChains: ShownRedirectChains[];
}

/** Cooperation insights for directors (CONTRACT §8): flows touching their agencies only. */
@Controller('v1/insights')
@UseGuards(ApiKeyGuard)
@AllowedPrincipals('director')
export class InsightsHttpController {
  constructor(
    private readonly flows: CooperationFlowsQueries,
    private readonly directory: Directory,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  @Get('flows')
  async flowsOf(
    @Query('from') from: string | undefined,
    @Query('to') to: string | undefined,
    @Headers('accept') accept: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<FlowsAnswer | string> {
    if (!isDirector(principal)) throw problem(403, 'Forbidden', 'insights are for directors');
    const months = monthRange(from, to, new Date());
    const query = { agencies: principal.agencies, fromMonth: months.from, toMonth: months.to };
    const threshold = this.config.insightsMinCount;
    const sectorOf = (agency: string): string => this.directory.agency(agency)?.sector ?? 'unknown';
    const [flows, chains] = await Promise.all([
      this.flows.flows(query),
      this.flows.redirectChains(query),
    ]);
    const agencyFlows = flows.map((flow) => shownFlow(flow, sectorOf, threshold));
    if (accept?.includes('text/csv')) {
      response.type('text/csv');
      return flowsCsv(agencyFlows);
    }
    return {
      director: principal.id,
      agencies: principal.agencies,
      from: months.from,
      to: months.to,
      threshold,
      agencyFlows,
      sectorFlows: shownSectorFlows(flows, sectorOf, threshold),
      redirectChains: shownRedirectChains(chains, threshold),
    };
  }
}
