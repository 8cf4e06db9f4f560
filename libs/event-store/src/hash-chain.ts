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

/**
 * The canonical bytes the chain covers: the canonical JSON of every stored field that says what
 * happened. Written out field by field, in canonicalJson's (sorted) key order, because the
 * append function (migrations/…_event-store-append-function.sql) builds the very same text in
 * SQL from the data and metadata text it stores; hash-chain.spec.ts checks this against
 * canonicalJson of the whole event.
 */
export function canonicalContent(event: HashedContent): string {
  return (
    `{"data":${canonicalJson(event.data)},"eventId":${JSON.stringify(event.eventId)},` +
    `"metadata":${canonicalJson(event.metadata)},"recordedAt":${JSON.stringify(event.recordedAt)},` +
    `"streamId":${JSON.stringify(event.streamId)},"streamVersion":${event.streamVersion},` +
    `"type":${JSON.stringify(event.type)}}`
  );
}

/** SHA-256(previous hash ‖ canonical bytes of the event as stored). */
export function chainHash(previous: Buffer, event: HashedContent): Buffer {
  return createHash('sha256').update(previous).update(canonicalContent(event), 'utf8').digest();
}
