import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { BACKBONE_CONFIG, BackboneConfig, UNBOUNDED_RETENTION } from '@backbone/config';
import { SingleActiveInstance, sleepUnlessAborted } from '@backbone/database';
import { rootLogger } from '@backbone/observability';
import { opsConsoleMetrics } from '../metrics/ops-console-metrics';
import { tiesOf } from './dead-letter-ties';
import { DeadLetters } from './dead-letters.store';

/** "RBDLPURG" in ASCII, read as a 64-bit integer: the purge's advisory lock. */
const DEAD_LETTER_PURGE_LOCK_KEY = '5927375154128966215';
/** Rows one statement deletes or ties at most, so that no round holds locks for long. */
const BATCH = 500;

/**
 * How often the purge runs: a tenth of the retention, so a copy outlives it by at most a tenth
 * more, but no more often than every second nor less often than every hour.
 */
export function purgeIntervalMs(retentionMs: number): number {
  if (retentionMs === UNBOUNDED_RETENTION) return 60 * 60_000;
  return Math.min(60 * 60_000, Math.max(1_000, Math.round(retentionMs / 10)));
}

/**
 * Deletes the dead letters' copies older than DEAD_LETTER_COPY_RETENTION_MS (counted from when
 * they were dead-lettered), and looks for the ties of copies made before they were recorded, so
 * that erasure reaches those too. One console instance at a time does it (advisory lock); it
 * counts what it deleted in `backbone_dead_letters_purged_total{reason="retention"}`.
 */
@Injectable()
export class DeadLetterPurge extends SingleActiveInstance {
  protected readonly logger = rootLogger.child({ component: 'ops-console-dead-letter-purge' });
  protected readonly lockKey = DEAD_LETTER_PURGE_LOCK_KEY;

  constructor(
    pool: Pool,
    private readonly deadLetters: DeadLetters,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {
    super(pool);
  }

  protected async runWhileActive(signal: AbortSignal): Promise<void> {
    const retentionMs = this.config.retention.deadLetterCopiesMs;
    while (!signal.aborted) {
      try {
        await this.tieOlderCopies(signal);
        if (retentionMs !== UNBOUNDED_RETENTION) await this.purgeExpired(retentionMs, signal);
      } catch (error) {
        if (!signal.aborted)
          this.logger.warn({ err: error }, 'could not purge dead letters; trying again');
      }
      await sleepUnlessAborted(purgeIntervalMs(retentionMs), signal);
    }
  }

  private async purgeExpired(retentionMs: number, signal: AbortSignal): Promise<void> {
    let purged = 0;
    for (let batch = BATCH; batch === BATCH && !signal.aborted;) {
      batch = await this.deadLetters.purgeExpired(retentionMs, BATCH);
      purged += batch;
      opsConsoleMetrics.deadLettersPurged.inc({ reason: 'retention' }, batch);
    }
    if (purged)
      this.logger.info({ purged, retentionMs }, 'dead letters past their retention deleted');
  }

  private async tieOlderCopies(signal: AbortSignal): Promise<void> {
    for (let found = BATCH; found === BATCH && !signal.aborted;) {
      const untied = await this.deadLetters.untied(BATCH);
      for (const { deadLetterId, value } of untied)
        await this.deadLetters.tie(deadLetterId, tiesOf(value, this.config.subjectIdKey));
      found = untied.length;
    }
  }
}
