import { Inject, Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { CLOCK, Clock } from '@backbone/config';
import { describeQuarantineError, isSystemicFault, isTransientFault } from '@backbone/database';
import {
  CaseState,
  ReferralState,
  decideHandoverDue,
  decideReferralOverdue,
} from '@backbone/domain';
import { rootLogger } from '@backbone/observability';
import { StreamDecider } from '../commands/stream-decider';
import { DueDeadline, PendingDeadlines } from './pending-deadlines';

/** Deadlines acted on per read of the due ones. */
export const DEADLINE_BATCH = 100;

/**
 * Acts on deadlines due by the clock's now, once each: a referral not decided in time becomes
 * `referral.overdue.v1` (to both parties); an accepted handover whose time has come completes.
 * A deadline whose action fails for a reason other than a passing fault is held (see
 * PendingDeadlines.hold), and the others go on.
 */
@Injectable()
export class DeadlineActions {
  private readonly logger = rootLogger.child({ component: 'deadline-watcher' });

  constructor(
    private readonly deadlines: PendingDeadlines,
    private readonly decider: StreamDecider,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Acts on up to DEADLINE_BATCH due deadlines; returns how many were due. */
  async actOnDue(signal?: AbortSignal): Promise<number> {
    const due = await this.deadlines.due(this.clock.now(), DEADLINE_BATCH);
    for (const deadline of due) {
      if (signal?.aborted) break;
      await this.actOnOrHold(deadline);
    }
    return due.length;
  }

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
    const now = this.clock.now();
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
