import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { EventData, EventMetadata } from './event-store.port';

/** The hash a stream's first event chains from. */
export const GENESIS_HASH = Buffer.alloc(32);

export interface HashedContent {
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  data: EventData;
  metadata: EventMetadata;
  recordedAt: string;
}

/** SHA-256(previous hash ‖ canonical bytes of the event as stored). */
export function chainHash(previous: Buffer, event: HashedContent): Buffer {
  const canonical = canonicalJson({
    eventId: event.eventId,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt,
  });
  return createHash('sha256').update(previous).update(canonical, 'utf8').digest();
}
