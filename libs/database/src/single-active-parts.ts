// The parts that run on one instance at a time, named once: the part itself takes its advisory
// lock and checkpoint from here, and /health and the ops console look for the same ones.

/** What one single-active part holds while active and follows the store's log with. */
export interface SingleActivePartIdentity {
  /** The PostgreSQL advisory lock key its active instance holds (a 64-bit decimal string). */
  readonly lockKey: string;
  /** The name of its checkpoint on the store's global log. */
  readonly checkpoint: string;
}

/** The publisher: the lock key spells "RBPUBLSH" as a 64-bit number. */
export const PUBLISHER_PART = {
  lockKey: '5927953093542859848',
  checkpoint: 'publisher',
} as const satisfies SingleActivePartIdentity;

/** The sector service's deadline watcher: the lock key spells "RBDEADLN". */
export const DEADLINE_WATCHER_PART = {
  lockKey: '5927953089309329742',
  checkpoint: 'deadline-tracker',
} as const satisfies SingleActivePartIdentity;

export const SINGLE_ACTIVE_PARTS = {
  publisher: PUBLISHER_PART,
  deadlineWatcher: DEADLINE_WATCHER_PART,
} as const;

export type SingleActivePart = keyof typeof SINGLE_ACTIVE_PARTS;
