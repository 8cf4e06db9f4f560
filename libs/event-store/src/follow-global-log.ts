import { sleepUnlessAborted } from '@backbone/database';
import type { EventStore, LogPosition, StoredEvent } from './event-store.port';
import type { AppendListener } from './subscriptions/append-wakeups';

export interface FollowOptions {
  batchSize?: number;
  /** How long to wait before asking again when the log had nothing new. */
  idleMs?: number;
  /**
   * Wake-ups on appends (the store's NOTIFY): with them, an idle follower asks again as soon as
   * something may have committed, and `idleMs` is only the fallback poll.
   */
  listen?: () => Promise<AppendListener>;
  signal: AbortSignal;
}

/** The log position of a stored event, for checkpoints. */
export const positionOf = (event: StoredEvent): LogPosition => ({
  transactionId: event.transactionId,
  globalPosition: event.globalPosition,
});

/**
 * Hands the global log to `handleBatch` in commit-safe order, batch after batch, from `from`
 * until `signal` aborts. `handleBatch` must finish (and checkpoint) before the next batch is read.
 */
export async function followGlobalLog(
  store: EventStore,
  from: LogPosition,
  handleBatch: (events: StoredEvent[]) => Promise<void>,
  options: FollowOptions,
): Promise<void> {
  const batchSize = options.batchSize ?? 500;
  const idleMs = options.idleMs ?? 50;
  const { signal } = options;
  const listener = await options.listen?.();
  try {
    let position = from;
    while (!signal.aborted) {
      // Noted before the read: a wake-up that comes while it runs is not lost.
      const seen = listener?.generation ?? 0;
      const events = await store.readAllAfter(position, batchSize);
      if (events.length === 0) {
        if (listener) await listener.waitBeyond(seen, idleMs, signal);
        else await sleepUnlessAborted(idleMs, signal);
        continue;
      }
      await handleBatch(events);
      position = positionOf(events[events.length - 1]);
    }
  } finally {
    await listener?.close();
  }
}
