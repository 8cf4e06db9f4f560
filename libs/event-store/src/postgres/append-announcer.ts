import type { Pool } from 'pg';
import { APPEND_CHANNEL } from './postgres-append-notifier';

const NOTIFY = `SELECT pg_notify('${APPEND_CHANNEL}', '')`;

/** How often at most one process wakes the followers after its appends. */
export const DEFAULT_ANNOUNCE_INTERVAL_MS = 10;

/**
 * Wakes followers after appends have committed, at most once per interval, and always once
 * more after the last append of a burst. A NOTIFY inside every append transaction would make
 * those transactions commit one at a time (see the append function's migration); a NOTIFY of
 * its own, a few times a second, leaves the appends to commit in groups. If this process dies
 * before it announces, followers find the events by polling.
 */
export class AppendAnnouncer {
  private timer?: NodeJS.Timeout;
  private pending = false;

  constructor(
    private readonly pool: Pool,
    private readonly intervalMs = DEFAULT_ANNOUNCE_INTERVAL_MS,
  ) {}

  announce(): void {
    if (this.timer) {
      this.pending = true;
      return;
    }
    // Fire and forget: a lost wake-up costs a follower one poll interval, nothing else.
    this.pool.query(NOTIFY).catch(() => undefined);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.pending) {
        this.pending = false;
        this.announce();
      }
    }, this.intervalMs);
    this.timer.unref();
  }
}
