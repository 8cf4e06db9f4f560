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
 * The canonical bytes of an event split around its stream version. The append path only learns
 * the version inside PostgreSQL (under the stream's row lock), so it sends these two parts and
 * the database hashes `head ‖ version ‖ tail`, one round trip instead of three.
 */
export interface CanonicalParts {
  head: string;
  tail: string;
}

/**
 * Canonical JSON has its keys sorted, so `streamVersion` is always followed by `type` alone:
 * everything before the version is the head, `type` closes the tail. `data` and `metadata` are
 * passed already canonical so each event is serialised once.
 */
export function canonicalParts(
  event: Omit<HashedContent, 'streamVersion' | 'data' | 'metadata'>,
  canonicalData: string,
  canonicalMetadata: string,
): CanonicalParts {
  return {
    head:
      `{"data":${canonicalData},"eventId":${JSON.stringify(event.eventId)},` +
      `"metadata":${canonicalMetadata},"recordedAt":${JSON.stringify(event.recordedAt)},` +
      `"streamId":${JSON.stringify(event.streamId)},"streamVersion":`,
    tail: `,"type":${JSON.stringify(event.type)}}`,
  };
}

/** The canonical bytes the chain covers: every stored field that says what happened. */
export function canonicalContent(event: HashedContent): string {
  const { head, tail } = canonicalParts(
    event,
    canonicalJson(event.data),
    canonicalJson(event.metadata),
  );
  return `${head}${event.streamVersion}${tail}`;
}

/** SHA-256(previous hash ‖ canonical bytes of the event as stored). */
export function chainHash(previous: Buffer, event: HashedContent): Buffer {
  return createHash('sha256').update(previous).update(canonicalContent(event), 'utf8').digest();
}
