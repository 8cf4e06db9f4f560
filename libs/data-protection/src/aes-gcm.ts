// AES-256-GCM with a random 96-bit nonce: the one cipher for data keys and personal fields.
import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

/**
 * Random bytes from the system's CSPRNG, fetched 8 KiB at a time: one call into it per field
 * sealed was a measurable share of the command path. Each byte is handed out once, as a copy.
 */
class RandomPool {
  private readonly pool = Buffer.alloc(8192);
  private offset = this.pool.length;

  take(length: number): Buffer {
    if (this.offset + length > this.pool.length) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    const bytes = Buffer.from(this.pool.subarray(this.offset, this.offset + length));
    this.offset += length;
    return bytes;
  }
}
const random = new RandomPool();

/** The sealed bytes failed GCM authentication: the ciphertext, its context or the key is wrong. */
export class AuthenticationFailedError extends Error {
  constructor() {
    super('sealed data failed authentication: it was altered, or opened with the wrong key');
    this.name = 'AuthenticationFailedError';
  }
}

/** `nonce ‖ ciphertext ‖ tag`; `context` is bound in as additional authenticated data. */
export function sealBytes(key: Buffer, plaintext: Buffer, context: string): Buffer {
  const nonce = random.take(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]);
}

export function openBytes(key: Buffer, sealed: Buffer, context: string): Buffer {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new AuthenticationFailedError();
  const nonce = sealed.subarray(0, NONCE_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    const plaintext = decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES));
    // GCM is a stream mode: final() only checks the tag, and has no bytes to add.
    const rest = decipher.final();
    return rest.length ? Buffer.concat([plaintext, rest]) : plaintext;
  } catch {
    throw new AuthenticationFailedError();
  }
}

export const newDataKey = (): Buffer => random.take(KEY_BYTES);
