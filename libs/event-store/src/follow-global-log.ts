import { sleepUnlessAborted } from '@backbone/database';
import type { EventStore, LogPosition, StoredEvent } from './event-store.port';
import type { AppendListener } from './subscriptions/append-wakeups';
import { nextHeldBackLook } from './subscriptions/held-back-looks';

export interface FollowOptions {
  batchSize?: number;
  /** How long to wait before asking again when the log had nothing new. */
  idleMs?: number;
  /**
   * Wake-ups on appends (the store's NOTIFY): with them, an idle follower asks again as soon as
   * something may have committed, and `idleMs` is only the fallback poll.
   */
  listen?: () => Promise<AppendListener>;
  /**
   * For a follower that need not be prompt: after a batch that did not fill `batchSize`, wait
   * this long before reading again, so that the log comes in a few larger batches a second
   * rather than a read and a transaction for every handful of events.
   */
  pauseMs?: number;
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
  const wait = (ms: number, seen: number): Promise<void> =>
    listener ? listener.waitBeyond(seen, ms, signal) : sleepUnlessAborted(ms, signal);
  try {
    let position = from;
    let heldBackMs = 0;
    let seen = 0;
    // A read that came back short found everything then safe to read. With wake-ups, whatever
    // commits after it is announced after that read began, so unless a wake-up came meanwhile
    // the follower need not read again to find out: it only asks whether an open transaction
    // holds something back, then waits.
    let caughtUp = false;
    while (!signal.aborted) {
      if (!caughtUp || (listener?.generation ?? 0) !== seen) {
        // Noted before the read: a wake-up that comes while it runs is not lost.
        seen = listener?.generation ?? 0;
        const events = await store.readAllAfter(position, batchSize);
        if (events.length) {
          heldBackMs = 0;
          await handleBatch(events);
          position = positionOf(events[events.length - 1]);
          const short = events.length < batchSize;
          if (options.pauseMs && short) await sleepUnlessAborted(options.pauseMs, signal);
          caughtUp = short && listener !== undefined;
          continue;
        }
      }
      caughtUp = false;
      // Held back by an older open transaction (often a projector's or another writer's, a few
      // milliseconds long): their NOTIFY has been heard already and the holder's end sends none.
      heldBackMs = nextHeldBackLook(await store.hasUnreadAfter(position), heldBackMs, idleMs);
      await wait(heldBackMs || idleMs, seen);
    }
  } finally {
    await listener?.close();
  }
}
