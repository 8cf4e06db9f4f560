import { KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from '@backbone/event-store';
import type { BundleContent } from './evidence-bundle';

/** The bytes a bundle's signature covers: its content as canonical JSON, UTF-8. */
const signedBytes = (content: BundleContent): Buffer => Buffer.from(canonicalJson(content), 'utf8');

/** base64 Ed25519 signature of the content. */
export const signContent = (content: BundleContent, privateKey: KeyObject): string =>
  sign(null, signedBytes(content), privateKey).toString('base64');

export function signatureMatches(
  content: BundleContent,
  value: string,
  publicKey: KeyObject,
): boolean {
  try {
    return verify(null, signedBytes(content), publicKey, Buffer.from(value, 'base64'));
  } catch {
    // Content that cannot even be serialised canonically was not what was signed.
    return false;
  }
}
