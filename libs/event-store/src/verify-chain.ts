import type { StreamVerification } from './event-store.port';
import { GENESIS_HASH, HashedContent, chainHash } from './hash-chain';

/** What the stream record says its chain ends with. */
export interface ChainHead {
  version: number;
  /** Hex. */
  lastHash: string;
}

/** An event as the chain check needs it: its content as stored and the hash stored with it. */
export interface ChainLink extends HashedContent {
  /** Hex. */
  hash: string;
}

/**
 * Checks one stream's hash chain one event at a time, in constant memory, so that a stream of
 * any length can be fed page by page (the audit's whole-store scan does). An altered event
 * breaks its own link, a removed one leaves a gap in the versions, an inserted or reordered one
 * breaks the link of the first event whose content or predecessor changed, and a truncated or
 * extended tail no longer matches the head. Anyone able to rewrite every later hash and the
 * stream record too is not caught here: that needs the head anchored outside the database.
 */
export class ChainVerifier {
  private previous: Buffer = GENESIS_HASH;
  private count = 0;
  private broken?: { at: number; reason: string };

  /** Feed the stream's events in stored version order (as stored: never upcast). */
  add(event: ChainLink): void {
    this.count += 1;
    if (this.broken) return;
    const version = this.count;
    if (event.streamVersion !== version) {
      const found = event.streamVersion;
      const reason =
        found > version
          ? `version ${version} is missing`
          : `an extra event claims version ${found}`;
      this.broken = { at: version, reason };
      return;
    }
    const recomputed = chainHash(this.previous, event);
    if (recomputed.toString('hex') !== event.hash) {
      this.broken = { at: version, reason: `event ${version} does not match its hash` };
      return;
    }
    this.previous = recomputed;
  }

  /** The verdict, once every event was fed; `head` undefined when the stream has no record. */
  finish(head: ChainHead | undefined): StreamVerification {
    const events = this.count;
    const broken = (at: number | undefined, reason: string): StreamVerification => ({
      valid: false,
      events,
      ...(at === undefined ? {} : { firstBrokenAt: at }),
      reason,
    });
    if (!head) {
      return events === 0
        ? { valid: true, events: 0 }
        : broken(undefined, 'events are stored for a stream that has no record');
    }
    if (this.broken) return broken(this.broken.at, this.broken.reason);
    if (head.version > events) {
      return broken(events + 1, `the stream records ${head.version} events`);
    }
    if (head.version < events) {
      return broken(head.version + 1, `the stream records only ${head.version} events`);
    }
    if (head.lastHash !== this.previous.toString('hex')) {
      return broken(Math.max(events, 1), 'the stream record ends in another hash');
    }
    return { valid: true, events };
  }
}

/** Recomputes a stream's hash chain from its stored events, in version order (ChainVerifier). */
export function verifyChain(events: ChainLink[], head: ChainHead | undefined): StreamVerification {
  const verifier = new ChainVerifier();
  for (const event of events) verifier.add(event);
  return verifier.finish(head);
}
