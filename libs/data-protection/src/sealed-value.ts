// A personal field as the store and `referrals.events` hold it: one self-describing string,
// `pd1.<data key id>.<base64url(nonce ‖ ciphertext ‖ tag)>`, sealing the field's JSON value.
import { AuthenticationFailedError, openBytes, sealBytes } from './aes-gcm';

const SEALED = /^pd1\.([0-9a-f-]{36})\.([A-Za-z0-9_-]+)$/;

/** What an erased field reads as once its subject's data key is destroyed. */
export const ERASED = '[erased]';
/** What a field reads as when its ciphertext fails authentication (it was tampered with). */
export const UNREADABLE = '[unreadable]';

export const isSealed = (value: unknown): value is string =>
  typeof value === 'string' && SEALED.test(value);

/** The data key a sealed value needs. */
export function keyIdOf(sealed: string): string {
  const match = SEALED.exec(sealed);
  if (!match) throw new Error('not a sealed value');
  return match[1];
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
export function openValue(sealed: string, key: Buffer, field: string): unknown {
  const match = SEALED.exec(sealed);
  if (!match) throw new AuthenticationFailedError();
  const [, keyId, body] = match;
  const plaintext = openBytes(key, Buffer.from(body, 'base64url'), contextOf(keyId, field));
  return JSON.parse(plaintext.toString('utf8')) as unknown;
}
