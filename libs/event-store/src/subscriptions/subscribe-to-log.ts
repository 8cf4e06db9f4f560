import type { LogPosition, StoredEvent } from '../event-store.port';
import { positionOf } from '../follow-global-log';
import type { AppendListener } from './append-wakeups';
import { nextHeldBackLook } from './held-back-looks';

export interface SubscribeToLogOptions {
  batchSize?: number;
  pollIntervalMs?: number;
  signal?: AbortSignal;
}

export const DEFAULT_SUBSCRIPTION_BATCH = 500;
export const DEFAULT_POLL_INTERVAL_MS = 1_000;

/**
 * The global log from `from` on as an async iterator: stored events first, then new ones as
 * they commit. Events are handed over one at a time and the next page is read only when the
 * consumer has taken the last event of this one, so a slow consumer never has more than a page
 * in memory. When the log is exhausted it waits for a wake-up (NOTIFY) or, failing one, for the
 * poll interval: a wake-up only makes it look sooner, the query alone decides what is safe.
 * Events held back by an older open transaction (`unreadAfter`: those, or any that became safe
 * since the read) are looked for again within milliseconds, since that transaction's end sends no
 * wake-up.
 */
export async function* subscribeToLog(
  readPage: (after: LogPosition, limit: number) => Promise<StoredEvent[]>,
  listen: () => Promise<AppendListener>,
  from: LogPosition,
  options: SubscribeToLogOptions = {},
  unreadAfter: (after: LogPosition) => Promise<boolean> = async () => false,
): AsyncGenerator<StoredEvent, void, undefined> {
  const batchSize = options.batchSize ?? DEFAULT_SUBSCRIPTION_BATCH;
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const { signal } = options;
  const listener = await listen();
  try {
    let position = from;
    let heldBackMs = 0;
    while (!signal?.aborted) {
      const seen = listener.generation;
      const events = await readPage(position, batchSize);
      for (const event of events) {
        if (signal?.aborted) return;
        position = positionOf(event);
        yield event;
      }
      if (events.length === batchSize) {
        heldBackMs = 0;
        continue;
      }
      heldBackMs = nextHeldBackLook(await unreadAfter(position), heldBackMs, pollIntervalMs);
      await listener.waitBeyond(seen, heldBackMs || pollIntervalMs, signal);
    }
  } finally {
    await listener.close();
  }
}
