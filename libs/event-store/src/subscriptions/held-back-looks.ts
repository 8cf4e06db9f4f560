/** How soon a follower looks again for events an open transaction holds back; doubled after. */
const FIRST_LOOK_MS = 2;

/**
 * How long a follower of the log waits before its next read, when the last read left it at the
 * end of what is safe to read. Events that committed behind an older transaction still open are
 * held back until it ends, and its end sends no NOTIFY: the follower looks again soon, backing
 * off while the hold lasts, up to `idleMs`. With nothing held back it waits `idleMs` (or for a
 * wake-up). `heldBackMs` is the previous wait of this kind, 0 after anything else.
 */
export function nextHeldBackLook(heldBack: boolean, heldBackMs: number, idleMs: number): number {
  return heldBack ? Math.min(Math.max(2 * heldBackMs, FIRST_LOOK_MS), idleMs) : 0;
}
