import { Inject, Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import {
  DEADLINE_WATCHER_PART,
  SingleActiveInstance,
  describeQuarantineError,
  inTransaction,
  isSystemicFault,
  isTransientFault,
  quarantineMetrics,
  quarantinedEvents,
  registerQuarantineGauge,
  sleepUnlessAborted,
} from '@backbone/database';
import {
  CaseState,
  ReferralState,
  decideHandoverDue,
  decideReferralOverdue,
} from '@backbone/domain';
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
import { StreamDecider } from '../commands/stream-decider';
import { scheduleChangeOf } from './deadline-schedule';
import { DueDeadline, PendingDeadlines, registerHeldDeadlinesGauge } from './pending-deadlines';

export const DEADLINE_CHECKPOINT = DEADLINE_WATCHER_PART.checkpoint;
const BATCH = 100;
/** Events failing alone one after another, beyond which tracking stops and starts again. */
const MAX_CULPRITS_IN_A_ROW = 20;
/**
 * The longest the tracker lets new events wait before reading them. Deadlines are looked for
 * once a poll and are hours or days away; a second's delay in learning one loses nothing, and
 * reading the log a few times a second instead of after every append leaves the machine to the
 * command path (at a few hundred commands a second the tracker had been reading and committing
 * some forty times a second).
 */
const TRACKING_PAUSE_MS = 1_000;

/**
 * Acts on missed deadlines, once each, on one instance at a time: a referral not decided in
 * time becomes `referral.overdue.v1` (to both parties); an accepted handover whose time has
 * come completes. It learns the deadlines by following the store's global log.
 *
 * Neither a stored event it cannot track (a due time PostgreSQL refuses, written before
 * validation caught it) nor a deadline whose action fails stops it: the event is quarantined
 * in the transaction that moves its checkpoint past it, the deadline is held (see
 * PendingDeadlines.hold), and it goes on. Only a passing fault stops it, to start again.
 */
@Injectable()
export class DeadlineWatcher extends SingleActiveInstance {
  protected readonly logger = rootLogger.child({ component: 'deadline-watcher' });
  protected readonly lockKey = DEADLINE_WATCHER_PART.lockKey;

  constructor(
    pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly checkpoints: PostgresCheckpointStore,
    private readonly deadlines: PendingDeadlines,
    private readonly decider: StreamDecider,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {
    super(pool);
    registerQuarantineGauge(pool);
    registerHeldDeadlinesGauge(pool);
  }

  /**
   * Tracks and watches side by side until `signal` aborts or either fails: a failure stops the
   * other too (and waits for it), so that a restart never leaves a loop of the last run going.
   */
  protected async runWhileActive(signal: AbortSignal): Promise<void> {
    const both = new AbortController();
    const stop = (): void => both.abort();
    signal.addEventListener('abort', stop, { once: true });
    const stopOnFailure = (loop: Promise<void>): Promise<void> =>
      loop.catch((error: unknown) => {
        both.abort();
        throw error;
      });
    try {
      const ended = await Promise.allSettled([
        stopOnFailure(this.trackUntil(both.signal)),
        stopOnFailure(this.watchUntil(both.signal)),
      ]);
      const failed = ended.find((end) => end.status === 'rejected');
      if (failed) throw failed.reason;
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }

  /** Keeps `pending_deadlines` in step with the log; each batch commits with its checkpoint. */
  private async trackUntil(signal: AbortSignal): Promise<void> {
    let checkpoint = await this.checkpoints.read(DEADLINE_CHECKPOINT);
    await followGlobalLog(
      this.store,
      checkpoint,
      async (events) => {
        const next = positionOf(events[events.length - 1]);
        try {
          await this.track(events, checkpoint, next);
        } catch (error) {
          if (isTransientFault(error) || isSystemicFault(error)) throw error;
          await this.trackOneByOne(events, checkpoint);
        }
        checkpoint = next;
      },
      {
        signal,
        idleMs: 200,
        pauseMs: Math.min(TRACKING_PAUSE_MS, this.config.deadlinePollMs),
      },
    );
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

  private async watchUntil(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const due = await this.deadlines.due(new Date(), BATCH);
      for (const deadline of due) {
        if (signal.aborted) return;
        await this.actOnOrHold(deadline);
      }
      if (due.length < BATCH) await sleepUnlessAborted(this.config.deadlinePollMs, signal);
    }
  }

  /** Acts on the deadline; one whose action fails for a reason other than a passing fault is held. */
  private async actOnOrHold(deadline: DueDeadline): Promise<void> {
    try {
      await this.actOn(deadline);
    } catch (error) {
      if (isTransientFault(error) || isSystemicFault(error)) throw error;
      const reason = describeQuarantineError(error);
      await this.deadlines.hold(deadline, reason);
      this.logger.error(
        { ...deadline, error: reason },
        'deadline held: acting on it failed; the watcher goes on with the others (release after a fix: npm run deadlines:reapply-quarantined)',
      );
    }
  }

  private async actOn(deadline: DueDeadline): Promise<void> {
    const now = new Date();
    const stamp = {
      causationId: `deadline:${deadline.kind}:${deadline.streamId}`,
      correlationId: `deadline:${deadline.kind}:${deadline.streamId}`,
      actingAgency: 'backbone',
    };
    const settle = (client: PoolClient) => this.deadlines.clear(deadline, client);
    const decided =
      deadline.kind === 'decision'
        ? await this.decider.decide(
            deadline.streamId,
            (state: ReferralState) => decideReferralOverdue(state, now),
            stamp,
            settle,
          )
        : await this.decider.decide(
            deadline.streamId,
            (state: CaseState) => decideHandoverDue(state, now),
            stamp,
            settle,
          );
    // Already settled (decided in time, handover cancelled…): nothing is owed any more.
    if (decided.kind === 'rejected') await this.deadlines.clear(deadline);
    if (decided.kind === 'appended') this.logger.info({ ...deadline }, 'deadline acted on');
  }
}
