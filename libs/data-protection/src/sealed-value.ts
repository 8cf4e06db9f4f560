// A personal field as the store and `referrals.events` hold it: one self-describing string,
// `pd1.<data key id>.<base64url(nonce ‖ ciphertext ‖ tag)>`, sealing the field's JSON value.
import { AuthenticationFailedError, openBytes, sealBytes } from './aes-gcm';

const SEALED = /^pd1\.([0-9a-f-]{36})\.([A-Za-z0-9_-]+)$/;

/** What an erased field reads as once its subject's data key is destroyed. */
export const ERASED = '[erased]';
/** What a field reads as when its ciphertext fails authentication (it was tampered with). */
export const UNREADABLE = '[unreadable]';

/** A sealed value taken apart: the data key it needs and its sealed bytes (base64url). */
export interface SealedParts {
  keyId: string;
  body: string;
}

/** The parts of a sealed value, or undefined for anything else; one pattern match. */
export function parseSealed(value: unknown): SealedParts | undefined {
  if (typeof value !== 'string' || !value.startsWith('pd1.')) return undefined;
  const match = SEALED.exec(value);
  return match ? { keyId: match[1], body: match[2] } : undefined;
}

export const isSealed = (value: unknown): value is string => parseSealed(value) !== undefined;

/** The data key a sealed value needs. */
export function keyIdOf(sealed: string): string {
  const parts = parseSealed(sealed);
  if (!parts) throw new Error('not a sealed value');
  return parts.keyId;
}

/** The field name is authenticated too: a sealed reason cannot pass for a sealed summary. */
const contextOf = (keyId: string, field: string): string => `pd1|${keyId}|${field}`;

export function sealValue(keyId: string, key: Buffer, field: string, value: unknown): string {
  const sealed = sealBytes(
    key,
    Buffer.from(JSON.stringify(value), 'utf8'),
    contextOf(keyId, field),
  );
  return `pd1.${keyId}.${sealed.toString('base64url')}`;
}

/** The field's value; throws AuthenticationFailedError if the sealed string was altered. */
export function openValue(sealed: string | SealedParts, key: Buffer, field: string): unknown {
  const parts = typeof sealed === 'string' ? parseSealed(sealed) : sealed;
  if (!parts) throw new AuthenticationFailedError();
  const { keyId, body } = parts;
  const plaintext = openBytes(key, Buffer.from(body, 'base64url'), contextOf(keyId, field));
  return JSON.parse(plaintext.toString('utf8')) as unknown;
}
