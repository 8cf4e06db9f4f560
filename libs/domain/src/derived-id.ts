import { createHash, createHmac } from 'node:crypto';

/**
 * A UUID derived from a name (RFC 9562 version 8, SHA-256 based): the same inputs always give
 * the same id, so a decision re-made after a lost race creates the very same stream.
 */
export function derivedUuid(namespace: string, name: string): string {
  return asUuid(createHash('sha256').update(`${namespace}:${name}`).digest());
}

/** The first 16 bytes of a digest as an RFC 9562 version 8 UUID. */
function asUuid(digest: Buffer): string {
  const bytes = digest.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A UUID derived from a name under a secret key (HMAC-SHA-256, then as `derivedUuid`): as
 * repeatable as `derivedUuid` for the backbone, but not computable by anyone without the key,
 * so an id the backbone will take next cannot be taken first by someone who knows the name.
 */
export function keyedUuid(key: string, namespace: string, name: string): string {
  return asUuid(createHmac('sha256', key).update(`${namespace}:${name}`).digest());
}
