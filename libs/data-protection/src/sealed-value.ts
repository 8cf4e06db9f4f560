// A personal field as the store and `referrals.events` hold it: one self-describing string,
// `pd2.<data key id>.<base64url(nonce ‖ ciphertext ‖ tag)>`, sealing the field's JSON value for
// one field of one event of one stream. `pd1.` values, sealed before that binding (the field
// name only), still open; nothing seals them any more.
import { AuthenticationFailedError, openBytes, sealBytes } from './aes-gcm';

const SEALED = /^(pd[12])\.([0-9a-f-]{36})\.([A-Za-z0-9_-]+)$/;

/** What an erased field reads as once its subject's data key is destroyed. */
export const ERASED = '[erased]';
/** What a field reads as when its ciphertext fails authentication (it was tampered with). */
export const UNREADABLE = '[unreadable]';

/** A sealed value taken apart: its version, the data key it needs and its sealed bytes (base64url). */
export interface SealedParts {
  version: 'pd1' | 'pd2';
  keyId: string;
  body: string;
}

/** Where a sealed value belongs: its additional authenticated data, so it opens nowhere else. */
export interface SealedBinding {
  streamId: string;
  eventId: string;
  field: string;
}

/** The parts of a sealed value, or undefined for anything else; one pattern match. */
export function parseSealed(value: unknown): SealedParts | undefined {
  if (typeof value !== 'string' || !value.startsWith('pd')) return undefined;
  const match = SEALED.exec(value);
  return match
    ? { version: match[1] as SealedParts['version'], keyId: match[2], body: match[3] }
    : undefined;
}

/** Whether a value has the form of a sealed one (which says nothing of where it came from). */
export const isSealed = (value: unknown): value is string => parseSealed(value) !== undefined;

/** The data key a sealed value needs. */
export function keyIdOf(sealed: string): string {
  const parts = parseSealed(sealed);
  if (!parts) throw new Error('not a sealed value');
  return parts.keyId;
}

/**
 * The additional authenticated data. `pd2` binds stream, event and field, so a ciphertext copied
 * into another event or stream (or another field) fails authentication there; `pd1` bound only
 * the field, and is read for values stored before `pd2`.
 */
function contextOf(version: SealedParts['version'], keyId: string, at: SealedBinding): string {
  if (version === 'pd1') return `pd1|${keyId}|${at.field}`;
  return JSON.stringify(['pd2', keyId, at.streamId, at.eventId, at.field]);
}

export function sealValue(keyId: string, key: Buffer, at: SealedBinding, value: unknown): string {
  const plaintext = Buffer.from(JSON.stringify(value), 'utf8');
  const sealed = sealBytes(key, plaintext, contextOf('pd2', keyId, at));
  return `pd2.${keyId}.${sealed.toString('base64url')}`;
}

/**
 * The field's value; throws AuthenticationFailedError if the sealed string was altered, or was
 * sealed for another stream, event or field.
 */
export function openValue(sealed: string | SealedParts, key: Buffer, at: SealedBinding): unknown {
  const parts = typeof sealed === 'string' ? parseSealed(sealed) : sealed;
  if (!parts) throw new AuthenticationFailedError();
  const { version, keyId, body } = parts;
  const plaintext = openBytes(key, Buffer.from(body, 'base64url'), contextOf(version, keyId, at));
  return JSON.parse(plaintext.toString('utf8')) as unknown;
}

/**
 * A sealed value as read from the store for deciding, where a decision may copy it into a new
 * event (the case an acceptance opens, the referral a redirect makes). Sealing opens it where it
 * was stored and seals it again for where it goes. Only the store's reading makes these: JSON
 * from an agency cannot, so a string that merely looks sealed is plaintext like any other.
 */
export class StoredSealedValue {
  constructor(
    readonly sealed: string,
    readonly storedAt: SealedBinding,
  ) {}

  /** Written out by mistake, it stays what it was: sealed. */
  toJSON(): string {
    return this.sealed;
  }
}
