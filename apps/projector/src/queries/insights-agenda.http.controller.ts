import { Controller, Get, Headers, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import type { DirectorPrincipal } from '@backbone/directory';
import { CurrentDirector, problem, SessionAuthGuard } from '@backbone/http';
import { csvAsked } from './answer-format';
import { agendaCsv } from './agenda-csv';
import { Agenda, AgendaItems, AgendaQueries } from './agenda.queries';

const DEFAULT_HANDOVER_DAYS = 14;
const MAX_HANDOVER_DAYS = 365;
/** Items of each kind one answer lists, oldest first; `cut` says when there were more. */
export const AGENDA_LIMIT = 200;

export interface AgendaAnswer {
  director: string;
  /** The agencies of the director's scope: an item involving any of them is listed. */
  agencies: readonly string[];
  generatedAt: string;
  handoverDays: number;
  /** At most this many items of each kind. */
  limit: number;
  items: AgendaItems;
  cut: Agenda['cut'];
}

/** `handoverDays`: a whole number of days from 1 to 365, 14 when not given; 400 otherwise. */
export function handoverDaysOf(value: unknown): number {
  if (value === undefined || value === '') return DEFAULT_HANDOVER_DAYS;
  const days = typeof value === 'string' && /^\d{1,3}$/.test(value) ? Number(value) : NaN;
  if (!(days >= 1 && days <= MAX_HANDOVER_DAYS)) {
    throw problem(
      400,
      'Bad Request',
      `handoverDays must be a whole number of days from 1 to ${MAX_HANDOVER_DAYS}`,
    );
  }
  return days;
}

/**
 * The directors' agenda (CONTRACT §8, issue 24 item 5): cases that need a decision across the
 * agencies of a director's scope, by the ids the involved agencies open in their own views.
 */
@Controller('v1/insights')
@UseGuards(SessionAuthGuard)
export class InsightsAgendaHttpController {
  constructor(private readonly agenda: AgendaQueries) {}

  @Get('agenda')
  async agendaOf(
    @Query('handoverDays') handoverDays: unknown,
    @Query('format') format: unknown,
    @Headers('accept') accept: string | undefined,
    @CurrentDirector() director: DirectorPrincipal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AgendaAnswer | string> {
    const days = handoverDaysOf(handoverDays);
    const csv = csvAsked(format, accept);
    const now = new Date();
    const { items, cut } = await this.agenda.agenda({
      agencies: director.agencies,
      handoverDays: days,
      limit: AGENDA_LIMIT,
      now,
    });
    if (csv) {
      response.type('text/csv');
      if (format === 'csv') response.attachment('insights-agenda.csv');
      // CSV has rows only: the lists that were cut are named in a header.
      const cutKinds = Object.keys(cut).filter((kind) => cut[kind as keyof typeof cut]);
      if (cutKinds.length) response.setHeader('Agenda-Cut', cutKinds.join(', '));
      return agendaCsv(items);
    }
    return {
      director: director.id,
      agencies: director.agencies,
      generatedAt: now.toISOString(),
      handoverDays: days,
      limit: AGENDA_LIMIT,
      items,
      cut,
    };
  }
}
