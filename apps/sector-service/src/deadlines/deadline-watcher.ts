import { Inject, Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { SingleActiveInstance, inTransaction, sleepUnlessAborted } from '@backbone/database';
import {
  CaseState,
  ReferralState,
  decideHandoverDue,
  decideReferralOverdue,
} from '@backbone/domain';
import {
  PostgresCheckpointStore,
  PostgresEventStore,
  followGlobalLog,
  positionOf,
} from '@backbone/event-store';
import { rootLogger } from '@backbone/observability';
import { StreamDecider } from '../commands/stream-decider';
import { scheduleChangeOf } from './deadline-schedule';
import { DueDeadline, PendingDeadlines } from './pending-deadlines';

export const DEADLINE_CHECKPOINT = 'deadline-tracker';
/** Advisory lock key of the one active watcher ("RBDEADLN"). */
const WATCHER_LOCK_KEY = '5927953089309329742';
const BATCH = 100;
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
 */
@Injectable()
export class DeadlineWatcher extends SingleActiveInstance {
  protected readonly logger = rootLogger.child({ component: 'deadline-watcher' });
  protected readonly lockKey = WATCHER_LOCK_KEY;

  constructor(
    pool: Pool,
    private readonly store: PostgresEventStore,
    private readonly checkpoints: PostgresCheckpointStore,
    private readonly deadlines: PendingDeadlines,
    private readonly decider: StreamDecider,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {
    super(pool);
  }

  protected async runWhileActive(signal: AbortSignal): Promise<void> {
    await Promise.all([this.trackUntil(signal), this.watchUntil(signal)]);
  }

  /** Keeps `pending_deadlines` in step with the log; each batch commits with its checkpoint. */
  private async trackUntil(signal: AbortSignal): Promise<void> {
    let checkpoint = await this.checkpoints.read(DEADLINE_CHECKPOINT);
    await followGlobalLog(
      this.store,
      checkpoint,
      async (events) => {
        const next = positionOf(events[events.length - 1]);
        const changes = events.flatMap((event) => scheduleChangeOf(event) ?? []);
        await inTransaction(this.pool, async (client) => {
          await this.deadlines.applyAll(changes, client);
          await this.checkpoints.advance(DEADLINE_CHECKPOINT, checkpoint, next, { client });
        });
        checkpoint = next;
      },
      {
        signal,
        idleMs: 200,
        pauseMs: Math.min(TRACKING_PAUSE_MS, this.config.deadlinePollMs),
      },
    );
  }

  private async watchUntil(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const due = await this.deadlines.due(new Date(), BATCH);
      for (const deadline of due) await this.actOn(deadline);
      if (due.length < BATCH) await sleepUnlessAborted(this.config.deadlinePollMs, signal);
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
