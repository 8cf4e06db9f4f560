import { hash } from 'node:crypto';

/** An event as the store keeps it: `data` and `metadata` as their stored JSON text. */
export interface StoredEventText {
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  /** The stored JSON text (the `json` column keeps the canonical text it was given). */
  dataText: string;
  metadataText: string;
  recordedAt: string;
}

const HASH_BYTES = 32;
export const GENESIS_HEX = '00'.repeat(HASH_BYTES);

/**
 * Hex SHA-256(previous ‖ canonical content), built from the stored JSON text as the append
 * function hashed it (migrations/…_event-store-append-function.sql), without parsing it: the
 * same bytes hash-chain.ts's canonicalContent gives for an event stored canonically
 * (stored-text-hash.spec.ts holds the two together). Stricter than canonicalContent: JSON text
 * that is not canonical fails here even when it means the same; such a stream is then judged by
 * the exact per-stream verification.
 *
 * Built for the whole-store scan, where it runs once per stored event: parsing and
 * re-serialising took three quarters of the scan's time, and a Hash object and digest Buffer
 * per event most of the rest (mostly in the garbage collector). So the bytes go into one reused
 * buffer and are hashed in one call.
 */
export class StoredTextHasher {
  private buffer = Buffer.allocUnsafe(64 * 1024);
  private length = 0;

  chainHash(previousHex: string, event: StoredEventText): string {
    const streamId = JSON.stringify(event.streamId);
    const type = JSON.stringify(event.type);
    const characters = event.dataText.length + event.metadataText.length + streamId.length;
    // 200 covers the fixed text, the id, the time and the version; a UTF-16 unit never takes
    // more than 3 UTF-8 bytes.
    const most = HASH_BYTES + 3 * (characters + type.length + 200);
    if (this.buffer.length < most) this.buffer = Buffer.allocUnsafe(most);
    this.buffer.write(previousHex, 0, HASH_BYTES, 'hex');
    // Written piece by piece: concatenating them first made a string per event to collect.
    this.length = HASH_BYTES;
    this.put('{"data":');
    this.put(event.dataText);
    // A UUID and a toISOString() time need no JSON escaping.
    this.put(',"eventId":"');
    this.put(event.eventId);
    this.put('","metadata":');
    this.put(event.metadataText);
    this.put(',"recordedAt":"');
    this.put(event.recordedAt);
    this.put('","streamId":');
    this.put(streamId);
    this.put(`,"streamVersion":${event.streamVersion},"type":`);
    this.put(type);
    this.put('}');
    return hash('sha256', this.buffer.subarray(0, this.length), 'hex');
  }

  private put(text: string): void {
    this.length += this.buffer.write(text, this.length, 'utf8');
  }
}
