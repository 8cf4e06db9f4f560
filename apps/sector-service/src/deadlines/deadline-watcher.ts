import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import {
  DEADLINE_WATCHER_PART,
  SingleActiveInstance,
  registerQuarantineGauge,
  sleepUnlessAborted,
} from '@backbone/database';
import { rootLogger } from '@backbone/observability';
import { DEADLINE_BATCH, DeadlineActions } from './deadline-actions';
import { DeadlineTracking } from './deadline-tracking';
import { registerHeldDeadlinesGauge } from './pending-deadlines';

/**
 * The longest the tracker lets new events wait before reading them. Deadlines are looked for
 * once a poll and are hours or days away; a second's delay in learning one loses nothing, and
 * reading the log a few times a second instead of after every append leaves the machine to the
 * command path (at a few hundred commands a second the tracker had been reading and committing
 * some forty times a second).
 */
const TRACKING_PAUSE_MS = 1_000;

/**
 * Acts on missed deadlines, once each, on one instance at a time: it learns the deadlines by
 * following the store's global log (DeadlineTracking) and acts on them when due
 * (DeadlineActions), polling every DEADLINE_POLL_MS.
 *
 * Neither a stored event it cannot track nor a deadline whose action fails stops it: the event
 * is quarantined, the deadline held, and it goes on. Only a passing fault stops it, to start
 * again.
 */
@Injectable()
export class DeadlineWatcher extends SingleActiveInstance {
  protected readonly logger = rootLogger.child({ component: 'deadline-watcher' });
  protected readonly lockKey = DEADLINE_WATCHER_PART.lockKey;

  constructor(
    pool: Pool,
    private readonly tracking: DeadlineTracking,
    private readonly actions: DeadlineActions,
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
        stopOnFailure(
          this.tracking.followUntil(
            both.signal,
            Math.min(TRACKING_PAUSE_MS, this.config.deadlinePollMs),
          ),
        ),
        stopOnFailure(this.watchUntil(both.signal)),
      ]);
      const failed = ended.find((end) => end.status === 'rejected');
      if (failed) throw failed.reason;
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }

  private async watchUntil(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const due = await this.actions.actOnDue(signal);
      if (due < DEADLINE_BATCH) await sleepUnlessAborted(this.config.deadlinePollMs, signal);
    }
  }
}
