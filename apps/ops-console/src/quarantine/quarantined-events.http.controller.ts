import { Body, Controller, Get, HttpCode, Inject, Post, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Pool } from 'pg';
import {
  QuarantinedEvent,
  QuarantiningConsumer,
  quarantinedEvents,
  registerQuarantineGauge,
} from '@backbone/database';
import { EVENT_STORE, EventStore } from '@backbone/event-store';
import { problem, SessionAuthGuard } from '@backbone/http';
import { ReapplyReport, reapplyQuarantinedEvents } from '@backbone/projector';
import {
  DeadlinesReapplyReport,
  HeldDeadline,
  PendingDeadlines,
  reapplyQuarantinedDeadlineEvents,
  registerHeldDeadlinesGauge,
} from '@backbone/sector-service';

const PAGE = 200;
const CONSUMERS: readonly QuarantiningConsumer[] = ['projector', 'deadline-watcher'];

export interface QuarantinedEventList {
  /** Newest first; re-applied ones too when asked (`all=true`). */
  items: QuarantinedEvent[];
  /** Still quarantined, per consumer: above 0 is a problem (and the alert's condition). */
  pending: Record<QuarantiningConsumer, number>;
  /** Deadlines whose action failed, held until released. */
  heldDeadlines: HeldDeadline[];
}

/**
 * `GET /ops/api/quarantined-events`: stored events a consumer could not apply and set aside
 * (never their data: id, position, stream, type and the error's class and reason), and held
 * deadlines. `POST /ops/api/quarantined-events/reapply`: after a fix, re-applies a consumer's
 * quarantined events in log order (and, for the deadline watcher, releases held deadlines).
 */
@ApiTags('ops console')
@Controller('ops/api/quarantined-events')
@UseGuards(SessionAuthGuard)
export class QuarantinedEventsHttpController {
  constructor(
    private readonly pool: Pool,
    // The application's store reads old event versions upcast to current ones, as the
    // projector and the deadline watcher read them.
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {
    registerQuarantineGauge(pool);
    registerHeldDeadlinesGauge(pool);
  }

  @Get()
  @ApiQuery({ name: 'all', required: false, description: '`true`: re-applied ones too' })
  @ApiOkResponse({
    description:
      'Quarantined events, newest first: consumer, event id, global position, stream, type, error, attempts; and held deadlines',
  })
  async list(@Query('all') all?: string): Promise<QuarantinedEventList> {
    const [items, pending, heldDeadlines] = await Promise.all([
      quarantinedEvents.list(this.pool, all === 'true', PAGE),
      Promise.all(
        CONSUMERS.map(
          async (consumer) => (await quarantinedEvents.pending(this.pool, consumer)).length,
        ),
      ),
      new PendingDeadlines(this.pool).held(PAGE),
    ]);
    return {
      items,
      pending: { projector: pending[0], 'deadline-watcher': pending[1] },
      heldDeadlines,
    };
  }

  @Post('reapply')
  @HttpCode(200)
  @ApiOkResponse({
    description:
      "Re-applies the consumer's quarantined events in log order: ids re-applied, ids still failing (still quarantined)",
  })
  async reapply(@Body() body: unknown): Promise<ReapplyReport | DeadlinesReapplyReport> {
    const consumer = (body as { consumer?: unknown } | undefined)?.consumer;
    if (consumer === 'projector') return reapplyQuarantinedEvents(this.pool, this.store);
    if (consumer === 'deadline-watcher')
      return reapplyQuarantinedDeadlineEvents(
        this.pool,
        this.store,
        new PendingDeadlines(this.pool),
      );
    throw problem(400, 'Malformed request', 'consumer must be "projector" or "deadline-watcher"', {
      code: 'MALFORMED',
    });
  }
}
