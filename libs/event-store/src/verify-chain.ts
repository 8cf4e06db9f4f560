import type { StoredEvent, StreamVerification } from './event-store.port';
import { GENESIS_HASH, chainHash } from './hash-chain';

/** What the stream record says its chain ends with. */
export interface ChainHead {
  version: number;
  /** Hex. */
  lastHash: string;
}

const broken = (events: number, at: number | undefined, reason: string): StreamVerification => ({
  valid: false,
  events,
  ...(at === undefined ? {} : { firstBrokenAt: at }),
  reason,
});

/**
 * Recomputes a stream's hash chain from its stored events (as stored: never upcast), in stream
 * version order, and checks it against the stream record. An altered event breaks its own link,
 * a removed one leaves a gap in the versions, an inserted or reordered one breaks the link of
 * the first event whose content or predecessor changed, and a truncated or extended tail no
 * longer matches the head. Anyone able to rewrite every later hash and the stream record too is
 * not caught here: that needs the head anchored outside the database.
 */
export function verifyChain(
  events: StoredEvent[],
  head: ChainHead | undefined,
): StreamVerification {
  if (!head) {
    return events.length === 0
      ? { valid: true, events: 0 }
      : broken(events.length, undefined, 'events are stored for a stream that has no record');
  }
  let previous: Buffer = GENESIS_HASH;
  for (const [i, event] of events.entries()) {
    const version = i + 1;
    if (event.streamVersion !== version) {
      const found = event.streamVersion;
      const reason =
        found > version
          ? `version ${version} is missing`
          : `an extra event claims version ${found}`;
      return broken(events.length, version, reason);
    }
    const recomputed = chainHash(previous, event);
    if (recomputed.toString('hex') !== event.hash) {
      return broken(events.length, version, `event ${version} does not match its hash`);
    }
    previous = recomputed;
  }
  if (head.version > events.length) {
    return broken(events.length, events.length + 1, `the stream records ${head.version} events`);
  }
  if (head.version < events.length) {
    return broken(
      events.length,
      head.version + 1,
      `the stream records only ${head.version} events`,
    );
  }
  if (head.lastHash !== previous.toString('hex')) {
    return broken(
      events.length,
      Math.max(events.length, 1),
      'the stream record ends in another hash',
    );
  }
  return { valid: true, events: events.length };
}
