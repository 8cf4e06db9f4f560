import type { EventStore, StoredEvent } from '../../event-store.port';

/**
 * Waits until `count` events of streams starting with `prefix` are readable from the global
 * log. Only events below the oldest running transaction in the whole cluster are readable, so
 * another test's open transaction may hold a committed event back for a moment.
 */
export async function visibleInLog(
  store: EventStore,
  prefix: string,
  count: number,
  timeoutMs = 30_000,
): Promise<StoredEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { events } = await store.readAll({ filter: { streamPrefix: prefix }, limit: 10_000 });
    if (events.length >= count) return events;
    if (Date.now() > deadline) {
      throw new Error(`only ${events.length} of ${count} events of ${prefix}* became readable`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
