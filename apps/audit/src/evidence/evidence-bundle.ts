// An evidence bundle: a JSON document holding the events of a referral (and of the case it
// opened) exactly as stored, their hashes, the chain verification, when it was exported and by
// whom, signed with the backbone's Ed25519 key over the canonical JSON of its content.
import type { ChainLink, StreamVerification } from '@backbone/event-store';
import type { PublicSigningKey } from './signing-key';

export const BUNDLE_FORMAT = 'referral-backbone/evidence-bundle/v1';

/** An event exactly as the store holds it (never upcast): the content its hash covers. */
export interface BundledEvent extends ChainLink {
  globalPosition: string;
}

export interface BundledStream {
  streamId: string;
  /** What the stream's record said at export: its event count and last hash. */
  head: { version: number; lastHash: string } | null;
  events: BundledEvent[];
  verification: StreamVerification;
}

export interface BundleContent {
  format: typeof BUNDLE_FORMAT;
  exportedAt: string;
  exportedBy: {
    auditor: string;
    purpose: string;
    /** The `audit.accessed.v1` event that records this export, on `accessStream`. */
    accessEventId: string;
    accessStream: string;
  };
  referralId: string;
  streams: BundledStream[];
  /**
   * The events' personal fields as the backbone opened them at export, by event id and field
   * (`data.reason`, `metadata.actor`): what the sealed values in `events` said. `[erased]` where
   * the subject's key was destroyed before the export.
   */
  opened: Record<string, Record<string, unknown>>;
  unreadable: string[];
}

export interface BundleSignature {
  alg: 'EdDSA';
  /** RFC 7638 thumbprint of the signing key. */
  kid: string;
  /** The public key, for convenience: check against the one you trust (GET /v1/signing-keys). */
  publicKey: PublicSigningKey;
  /** What was signed. */
  signed: 'canonical JSON (sorted keys, no whitespace) of content, UTF-8';
  /** base64 Ed25519 signature. */
  value: string;
}

export interface EvidenceBundle {
  content: BundleContent;
  signature: BundleSignature;
}
