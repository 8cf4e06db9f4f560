/**
 * Wakes followers waiting for new events. Each wake-up bumps a generation number: a follower
 * notes it before it queries and then waits only for a generation after that one, so a
 * notification that arrives while its query runs is not lost.
 */
export class AppendWakeups {
  private current = 0;
  private readonly waiters = new Set<() => void>();

  get generation(): number {
    return this.current;
  }

  /** Something may have been appended (or a notification may have been missed). */
  wake(): void {
    this.current++;
    for (const resolve of [...this.waiters]) resolve();
  }

  /** Resolves once the generation has passed `seen`, after `timeoutMs`, or when `signal` aborts. */
  waitBeyond(seen: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.current > seen || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }
}

/** One follower's hold on a source of wake-ups; closing it lets the source stop listening. */
export interface AppendListener {
  readonly generation: number;
  waitBeyond(seen: number, timeoutMs: number, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}
