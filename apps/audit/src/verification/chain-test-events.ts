// Test helper (not a spec): a correctly chained stream as the store would hold it.
import { GENESIS_HASH, StoredEvent, canonicalJson, chainHash } from '@backbone/event-store';

export function chainedStream(streamId: string, count: number, firstPosition = 1): StoredEvent[] {
  let previous: Buffer = GENESIS_HASH;
  return Array.from({ length: count }, (_, i) => {
    const content = {
      eventId: `00000000-0000-4000-8000-${String(firstPosition + i).padStart(12, '0')}`,
      streamId,
      streamVersion: i + 1,
      type: i === 0 ? 'thing.opened.v1' : 'thing.noted.v1',
      data: { n: i + 1, text: `note "${i}" — ünïcode ☃`, nested: { b: [1, 2], a: null } },
      metadata: { actingAgency: 'randers-school', parties: ['a', 'b'] },
      recordedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
    };
    previous = chainHash(previous, content);
    return {
      ...content,
      hash: previous.toString('hex'),
      globalPosition: String(firstPosition + i),
      transactionId: '1',
    };
  });
}

export const headOf = (events: { hash: string }[]) => ({
  version: events.length,
  lastHash: events[events.length - 1].hash,
});

/** The stored text of an event's data and metadata, as the `json` columns keep it. */
export const asStoredText = (event: StoredEvent) => ({
  ...event,
  dataText: canonicalJson(event.data),
  metadataText: canonicalJson(event.metadata),
});
