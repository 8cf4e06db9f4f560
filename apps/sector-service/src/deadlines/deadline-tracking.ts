import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import {
  DEADLINE_WATCHER_PART,
  describeQuarantineError,
  inTransaction,
  isSystemicFault,
  isTransientFault,
  quarantineMetrics,
  quarantinedEvents,
} from '@backbone/database';
import {
  EVENT_STORE,
  EventStore,
  LogPosition,
  PostgresCheckpointStore,
  StoredEvent,
  followGlobalLog,
  positionOf,
} from '@backbone/event-store';
import { rootLogger } from '@backbone/observability';
import { scheduleChangeOf } from './deadline-schedule';
import { PendingDeadlines } from './pending-deadlines';

export const DEADLINE_CHECKPOINT = DEADLINE_WATCHER_PART.checkpoint;
/** Events failing alone one after another, beyond which tracking stops and starts again. */
const MAX_CULPRITS_IN_A_ROW = 20;
const CATCH_UP_BATCH = 500;
/** How long catching up waits for a transaction that holds newer events back. */
const HELD_BACK_PAUSE_MS = 5;

/**
 * Keeps `pending_deadlines` in step with the store's global log: each batch's deadline changes
 * commit with the checkpoint after them. An event whose deadline cannot be tracked (a due time
 * PostgreSQL refuses, written before validation caught it) is quarantined in the transaction
 * that moves the checkpoint past it; only a passing fault stops tracking, to start again.
 */
@Injectable()
export class DeadlineTracking {
  private readonly logger = rootLogger.child({ component: 'deadline-watcher' });

  constructor(
    private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly checkpoints: PostgresCheckpointStore,
    private readonly deadlines: PendingDeadlines,
  ) {}

  /** Follows the log until `signal` aborts, reading at most once per `pauseMs` while it keeps up. */
  async followUntil(signal: AbortSignal, pauseMs: number): Promise<void> {
    let checkpoint = await this.checkpoints.read(DEADLINE_CHECKPOINT);
    await followGlobalLog(
      this.store,
      checkpoint,
      async (events) => {
        checkpoint = await this.trackBatch(events, checkpoint);
      },
      { signal, idleMs: 200, pauseMs },
    );
  }

  /**
   * Tracks everything the log holds now, waiting out transactions that hold events back, then
   * returns: for a caller that moves time on in steps (the demo seeder) rather than following.
   */
  async catchUp(): Promise<void> {
    let checkpoint = await this.checkpoints.read(DEADLINE_CHECKPOINT);
    for (;;) {
      const events = await this.store.readAllAfter(checkpoint, CATCH_UP_BATCH);
      if (events.length) {
        checkpoint = await this.trackBatch(events, checkpoint);
        continue;
      }
      if (!(await this.store.hasUnreadAfter(checkpoint))) return;
      await new Promise((resolve) => setTimeout(resolve, HELD_BACK_PAUSE_MS));
    }
  }

  /** Tracks a batch read after `from`; returns the position after it. */
  private async trackBatch(events: StoredEvent[], from: LogPosition): Promise<LogPosition> {
    const next = positionOf(events[events.length - 1]);
    try {
      await this.track(events, from, next);
    } catch (error) {
      if (isTransientFault(error) || isSystemicFault(error)) throw error;
      await this.trackOneByOne(events, from);
    }
    return next;
  }

  /** The events' deadline changes and the checkpoint after them, in one transaction. */
  private async track(events: StoredEvent[], from: LogPosition, to: LogPosition): Promise<void> {
    const changes = events.flatMap((event) => scheduleChangeOf(event) ?? []);
    await inTransaction(this.pool, async (client) => {
      await this.deadlines.applyAll(changes, client);
      await this.checkpoints.advance(DEADLINE_CHECKPOINT, from, to, { client });
    });
  }

  /**
   * A batch that failed for a reason other than a passing fault, event by event: the event
   * that fails alone is quarantined with the checkpoint that passes it, the others tracked.
   */
  private async trackOneByOne(events: StoredEvent[], from: LogPosition): Promise<void> {
    let checkpoint = from;
    let inARow = 0;
    for (const event of events) {
      const next = positionOf(event);
      try {
        await this.track([event], checkpoint, next);
        inARow = 0;
      } catch (error) {
        // Beyond a few in a row the cause is taken to be no event's: tried again later.
        if (isTransientFault(error) || isSystemicFault(error) || ++inARow > MAX_CULPRITS_IN_A_ROW)
          throw error;
        await inTransaction(this.pool, async (client) => {
          await quarantinedEvents.record(client, 'deadline-watcher', event, error);
          await this.checkpoints.advance(DEADLINE_CHECKPOINT, checkpoint, next, { client });
        });
        quarantineMetrics.quarantined.inc({ consumer: 'deadline-watcher' });
        this.logger.error(
          {
            eventId: event.eventId,
            globalPosition: event.globalPosition,
            type: event.type,
            error: describeQuarantineError(error),
          },
          'event quarantined: its deadline cannot be tracked; the watcher goes on without it (re-apply after a fix: npm run deadlines:reapply-quarantined)',
        );
      }
      checkpoint = next;
    }
  }
}
