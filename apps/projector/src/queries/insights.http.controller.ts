import { Controller, Get, Headers, Inject, Query, Res, UseGuards } from '@nestjs/common';
import { Pool } from 'pg';
import type { Response } from 'express';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { DirectorPrincipal, Directory } from '@backbone/directory';
import { PostgresEventStore } from '@backbone/event-store';
import { CurrentDirector, problem, SessionAuthGuard } from '@backbone/http';
import { FlowsPart, flowsPartsAsked } from './answer-fields';
import { csvAsked } from './answer-format';
import { asOfMoment } from './as-of-moment';
import {
  AgencyFlow,
  CooperationFlowsQueries,
  FlowTotals,
  FlowsQuery,
  RedirectChains,
} from './cooperation-flows.queries';
import { FactsSource } from './facts-source';
import { HandoverFlow, HandoverFlowsQueries } from './handover-flows.queries';
import { withFactsAsOf } from './facts-as-of';
import { flowsCsv } from './flows-csv';
import { monthRange } from './month-range';
import {
  ShownFlow,
  ShownHandoverFlow,
  ShownRedirectChains,
  ShownSectorFlow,
  shownFlow,
  shownHandoverFlow,
  shownRedirectChains,
  shownSectorFlows,
} from './shown-flows';
import { ShownTotals, shownTotals } from './shown-totals';

export interface FlowsAnswer {
  director: string;
  /** The agencies of the director's scope: flows with one of them on either side are shown. */
  agencies: readonly string[];
  from: string;
  to: string;
  /** The moment the figures are as of: now, or the `asOf` asked for (refolded from the store). */
  asOf: string;
  /** Counts below this are shown as `"<threshold"`; figures over fewer referrals are null. */
  threshold: number;
  /** Each part below is in the answer unless `?fields=` leaves it out. */
  agencyFlows?: ShownFlow[];
  sectorFlows?: ShownSectorFlow[];
  redirectChains?: ShownRedirectChains[];
  /** Handovers of cases' responsibility, by the month they were proposed. */
  handoverFlows?: ShownHandoverFlow[];
  /** The agency flows summed per month, per pair of sectors and per reason code. */
  totals?: ShownTotals;
}

/** The parts that are worked out from the agency flows. */
const FROM_AGENCY_FLOWS: readonly FlowsPart[] = ['agencyFlows', 'sectorFlows'];

/** What the parts asked for are shown from, each read only when a part needs it. */
interface Counted {
  flows: AgencyFlow[];
  chains: RedirectChains[];
  handovers: HandoverFlow[];
  totals: FlowTotals | undefined;
}

/** Cooperation insights for directors (CONTRACT §8): flows touching their agencies only. */
@Controller('v1/insights')
@UseGuards(SessionAuthGuard)
export class InsightsHttpController {
  /**
   * An as-of count refolds the store's referral events: one at a time per process, so that a
   * director (or a stolen director key) cannot make the projector refold it many times at once.
   */
  private refolding = false;

  constructor(
    private readonly flows: CooperationFlowsQueries,
    private readonly handovers: HandoverFlowsQueries,
    private readonly directory: Directory,
    private readonly pool: Pool,
    private readonly store: PostgresEventStore,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  @Get('flows')
  async flowsOf(
    @Query('from') from: string | undefined,
    @Query('to') to: string | undefined,
    @Query('asOf') asOf: string | undefined,
    @Query('format') format: unknown,
    @Query('fields') fields: unknown,
    @Headers('accept') accept: string | undefined,
    @CurrentDirector() director: DirectorPrincipal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<FlowsAnswer | string> {
    const now = new Date();
    const csv = csvAsked(format, accept);
    if (csv && fields !== undefined)
      throw problem(400, 'Bad Request', 'the CSV answer is the agency flows; fields is for JSON');
    const parts = flowsPartsAsked(fields);
    const moment = asOfMoment(asOf, now);
    const months = monthRange(from, to, moment ?? now);
    const query = { agencies: director.agencies, fromMonth: months.from, toMonth: months.to };
    const threshold = this.config.insightsMinCount;
    const sectorOf = (agency: string): string => this.directory.agency(agency)?.sector ?? 'unknown';
    const { flows, chains, handovers, totals } = moment
      ? await this.oneRefoldAtATime(() =>
          withFactsAsOf(this.pool, this.store, moment, (client) =>
            this.counted(query, { kind: 'as-of', client, moment }, parts),
          ),
        )
      : await this.counted(query, { kind: 'live' }, parts);
    const shownAgencyFlows = () => flows.map((flow) => shownFlow(flow, sectorOf, threshold));
    if (csv) {
      response.type('text/csv');
      if (format === 'csv') response.attachment(`insights-flows-${months.from}-${months.to}.csv`);
      return flowsCsv(shownAgencyFlows());
    }
    return {
      director: director.id,
      agencies: director.agencies,
      from: months.from,
      to: months.to,
      asOf: (moment ?? now).toISOString(),
      threshold,
      ...(parts.has('agencyFlows') && { agencyFlows: shownAgencyFlows() }),
      ...(parts.has('sectorFlows') && {
        sectorFlows: shownSectorFlows(flows, sectorOf, threshold),
      }),
      ...(parts.has('redirectChains') && {
        redirectChains: shownRedirectChains(chains, threshold),
      }),
      ...(parts.has('handoverFlows') && {
        handoverFlows: handovers.map((flow) => shownHandoverFlow(flow, sectorOf, threshold)),
      }),
      ...(totals && { totals: shownTotals(totals, months, sectorOf, threshold) }),
    };
  }

  private async oneRefoldAtATime<T>(refold: () => Promise<T>): Promise<T> {
    if (this.refolding) {
      throw problem(429, 'Too Many Requests', 'an asOf count is running; ask again in a moment');
    }
    this.refolding = true;
    try {
      return await refold();
    } finally {
      this.refolding = false;
    }
  }

  /**
   * The counts the asked parts need (none read for a part left out). The live ones side by
   * side, on connections of the pool (reading and shaping one answer's rows overlaps PostgreSQL
   * reading the next); an as-of source's one after the other, as it is one connection, in one
   * transaction.
   */
  private async counted(
    query: FlowsQuery,
    source: FactsSource,
    parts: ReadonlySet<FlowsPart>,
  ): Promise<Counted> {
    const none = async () => [];
    const reads = [
      FROM_AGENCY_FLOWS.some((part) => parts.has(part))
        ? () => this.flows.flows(query, source)
        : none,
      parts.has('redirectChains') ? () => this.flows.redirectChains(query, source) : none,
      parts.has('handoverFlows') ? () => this.handovers.flows(query, source) : none,
      parts.has('totals') ? () => this.flows.totals(query, source) : async () => undefined,
    ] as const;
    if (source.kind === 'live') {
      const [flows, chains, handovers, totals] = await Promise.all([
        reads[0](),
        reads[1](),
        reads[2](),
        reads[3](),
      ]);
      return { flows, chains, handovers, totals };
    }
    const flows = await reads[0]();
    const chains = await reads[1]();
    const handovers = await reads[2]();
    return { flows, chains, handovers, totals: await reads[3]() };
  }
}
