import type { ChainHead } from '@backbone/event-store';
import { GENESIS_HEX, StoredEventText, StoredTextHasher } from './stored-text-hash';

/** An event of the log as the scan reads it, with the hash stored beside it. */
export interface StoredTextLink extends StoredEventText {
  /** Hex. */
  hash: string;
}

interface OpenChain {
  head: ChainHead | undefined;
  count: number;
  /** Hex. */
  previous: string;
}

/**
 * Follows every stream's hash chain at once while the log is read in global order, where the
 * streams' events are interleaved. Keeps state only for streams not yet complete; a stream is
 * complete, and forgotten, once it reached its recorded head with the recorded last hash.
 *
 * It only sorts streams into "verified" and "suspect": anything out of the ordinary (a version
 * out of turn, a hash that does not match, no record, a chain that never reaches its head) makes
 * a stream suspect, and suspects are then verified on their own, in version order, for the exact
 * verdict the per-stream verification gives. Legitimate appends never make a stream suspect:
 * a stream's events are appended under its row lock, so its versions ascend with the log.
 */
export class InterleavedChains {
  private readonly open = new Map<string, OpenChain>();
  private readonly suspect = new Set<string>();
  private readonly hasher = new StoredTextHasher();

  /** Whether `streamId` needs its record looked up before `add` (not open and not suspect). */
  isNew(streamId: string): boolean {
    return !this.open.has(streamId) && !this.suspect.has(streamId);
  }

  add(link: StoredTextLink, headIfNew: ChainHead | undefined): void {
    const { streamId } = link;
    if (this.suspect.has(streamId)) return;
    let chain = this.open.get(streamId);
    if (!chain) {
      chain = { head: headIfNew, count: 0, previous: GENESIS_HEX };
      this.open.set(streamId, chain);
    }
    if (!chain.head || link.streamVersion !== chain.count + 1) return this.suspectStream(streamId);
    const hash = this.hasher.chainHash(chain.previous, link);
    if (hash !== link.hash) return this.suspectStream(streamId);
    chain.count += 1;
    chain.previous = hash;
    if (chain.count < chain.head.version) return;
    if (chain.count === chain.head.version && chain.head.lastHash === link.hash) {
      this.open.delete(streamId);
    } else {
      this.suspectStream(streamId);
    }
  }

  /** Once the whole log was read: every stream that needs a verdict of its own. */
  suspects(): string[] {
    return [...this.suspect, ...this.open.keys()].sort();
  }

  private suspectStream(streamId: string): void {
    this.open.delete(streamId);
    this.suspect.add(streamId);
  }
}
