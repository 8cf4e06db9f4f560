import { KeyObject, createPublicKey } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { ChainVerifier } from '@backbone/event-store';
import { BUNDLE_FORMAT, BundledStream, EvidenceBundle } from './evidence-bundle';
import { signatureMatches } from './bundle-signature';
import { publishedForm } from './signing-key';

export interface BundleCheck {
  /** Signed by the key, unchanged since, and its verification results recompute. */
  intact: boolean;
  /** Why it is not intact, each a sentence. */
  problems: string[];
  /** The key it was checked against. */
  keyId?: string;
  /** Whether that key was one the caller trusts, rather than the one the bundle carries. */
  pinned: boolean;
  /** Each stream's chain, recomputed from the bundled events. */
  streams: (BundledStream['verification'] & { streamId: string })[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function wellFormed(document: unknown): document is EvidenceBundle {
  if (!isObject(document) || !isObject(document.content) || !isObject(document.signature)) {
    return false;
  }
  const { content, signature } = document;
  return (
    content.format === BUNDLE_FORMAT &&
    Array.isArray(content.streams) &&
    content.streams.every((s) => isObject(s) && Array.isArray(s.events)) &&
    typeof signature.value === 'string' &&
    isObject(signature.publicKey)
  );
}

function carriedKey(bundle: EvidenceBundle): KeyObject | undefined {
  const { kty, crv, x } = bundle.signature.publicKey;
  try {
    return createPublicKey({ key: { kty, crv, x }, format: 'jwk' });
  } catch {
    return undefined;
  }
}

/** Recomputes a bundled stream's chain from its events and its recorded head. */
function recompute(stream: BundledStream): BundledStream['verification'] {
  const verifier = new ChainVerifier();
  for (const event of stream.events) verifier.add(event);
  return verifier.finish(stream.head ?? undefined);
}

/**
 * Checks an evidence bundle offline: its signature against `trusted` (or, failing that, the key
 * it carries, which proves only that it is unchanged since someone signed it), then that every
 * stream's chain recomputes to the verification the bundle records. Any change to any byte of
 * the content breaks the signature.
 */
export function checkEvidenceBundle(document: unknown, trusted?: KeyObject): BundleCheck {
  const pinned = trusted !== undefined;
  if (!wellFormed(document)) {
    return {
      intact: false,
      pinned,
      streams: [],
      problems: [`not an evidence bundle (${BUNDLE_FORMAT})`],
    };
  }
  const problems: string[] = [];
  const key = trusted ?? carriedKey(document);
  const keyId = key && publishedForm(key).kid;
  if (!key) problems.push('the bundle carries no usable public key');
  else if (!signatureMatches(document.content, document.signature.value, key)) {
    problems.push(
      trusted
        ? 'the signature does not match: the bundle was changed, or not signed with the trusted key'
        : 'the signature does not match: the bundle was changed after it was signed',
    );
  }
  const streams = document.content.streams.map((stream) => {
    const verification = recompute(stream);
    if (!isDeepStrictEqual(verification, stream.verification)) {
      problems.push(
        `${stream.streamId}: the recorded verification does not recompute from its events`,
      );
    }
    if (stream.events.some((event) => event.streamId !== stream.streamId)) {
      problems.push(`${stream.streamId}: holds events of another stream`);
    }
    return { streamId: stream.streamId, ...verification };
  });
  return { intact: problems.length === 0, problems, keyId, pinned, streams };
}
