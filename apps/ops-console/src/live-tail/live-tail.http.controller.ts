import { Controller, Get, MessageEvent, Query, Sse, UseGuards } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  Observable,
  combineLatest,
  concat,
  filter,
  from,
  interval,
  map,
  merge,
  startWith,
  takeUntil,
} from 'rxjs';
import { SessionAuthGuard } from '@backbone/http';
import { EventsTail } from './events-tail';
import { TailFilter, matchesFilter } from './tail-entry';
import { THROUGHPUT_WINDOW_SECONDS, ThroughputSeries } from './throughput';

/** Keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

const text = (value: unknown, max: number): string | undefined =>
  typeof value === 'string' && value.trim() && value.length <= max ? value.trim() : undefined;

/** The live tail (server-sent events) and the throughput it counts, for operators. */
@ApiTags('ops console')
@Controller('ops/api')
@UseGuards(SessionAuthGuard)
export class LiveTailHttpController {
  constructor(private readonly tail: EventsTail) {}

  /**
   * `GET /ops/api/tail?type=&agency=&referral=`: `status` first (whether the tail follows the
   * topic), then the recent entries that match, then each new one as it arrives.
   */
  @Sse('tail')
  @ApiExcludeEndpoint()
  stream(@Query() query: Record<string, unknown>): Observable<MessageEvent> {
    const wanted: TailFilter = {
      type: text(query.type, 100),
      agency: text(query.agency, 63),
      referralId: text(query.referral, 100),
    };
    const entries = concat(from(this.tail.recent()), this.tail.stream).pipe(
      filter((entry) => matchesFilter(entry, wanted)),
      map((entry): MessageEvent => ({ type: 'entry', data: entry })),
    );
    // The status on every change, and again as a heartbeat.
    const status = combineLatest([
      this.tail.following,
      interval(HEARTBEAT_MS).pipe(startWith(0)),
    ]).pipe(map(([following]): MessageEvent => ({ type: 'status', data: { following } })));
    return merge(status, entries).pipe(takeUntil(this.tail.closed));
  }

  @Get('throughput')
  @ApiQuery({ name: 'minutes', required: false, description: '1 to 10; 5 when omitted' })
  @ApiOkResponse({ description: 'Events per second by type, one point per second' })
  throughput(@Query('minutes') minutes?: string): ThroughputSeries {
    const wanted = Number(minutes ?? 5);
    const span = Number.isInteger(wanted) && wanted >= 1 ? wanted * 60 : 300;
    return this.tail.throughput.series(Math.min(span, THROUGHPUT_WINDOW_SECONDS));
  }
}
