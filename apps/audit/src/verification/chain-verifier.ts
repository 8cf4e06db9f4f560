import { GENESIS_HASH, HashedContent, StreamVerification, chainHash } from '@backbone/event-store';

/** An event as the chain check needs it: its content as stored and the hash stored with it. */
export interface ChainLink extends HashedContent {
  /** Hex. */
  hash: string;
}

/** What the stream record says its chain ends with; undefined when there is no record. */
export interface RecordedHead {
  version: number;
  /** Hex. */
  lastHash: string;
}

/**
 * Checks one stream's hash chain one event at a time, so that a stream of any length is checked
 * in constant memory (the whole-store scan feeds it page by page). Gives exactly the verdicts of
 * libs/event-store's verifyChain (chain-verifier.spec.ts holds it to that): the first version
 * that is altered, missing, inserted or out of place, or a head that does not match the chain.
 */
export class ChainVerifier {
  private previous: Buffer = GENESIS_HASH;
  private count = 0;
  private broken?: { at: number; reason: string };

  /** Feed the stream's events in stored version order. */
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

  /** The verdict, once every event was fed. */
  finish(head: RecordedHead | undefined): StreamVerification {
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
