import { sleepUnlessAborted } from '@backbone/database';
import type { EventStore, LogPosition, StoredEvent } from './event-store.port';

export interface FollowOptions {
  batchSize?: number;
  /** How long to wait before asking again when the log had nothing new. */
  idleMs?: number;
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
  let position = from;
  while (!options.signal.aborted) {
    const events = await store.readAllAfter(position, batchSize);
    if (events.length === 0) {
      await sleepUnlessAborted(options.idleMs ?? 50, options.signal);
      continue;
    }
    await handleBatch(events);
    position = positionOf(events[events.length - 1]);
  }
}
