// The backbone's background parts as PostgreSQL and Kafka show them, for /health and the ops
// console: read from the shared database and the brokers, so any instance of any app can tell
// how the whole backbone is doing, whichever instances run the parts.

/**
 * The parts that run on one instance at a time: the advisory lock their active instance holds
 * and the checkpoint they follow the store's log with. The keys mirror apps/publisher and the
 * sector service's deadline watcher (their own constants are private to them); the ops-console
 * end-to-end test fails if they drift, because the part then shows as down.
 */
export const SINGLE_ACTIVE_PARTS = {
  publisher: { lockKey: '5927953093542859848', checkpoint: 'publisher' },
  deadlineWatcher: { lockKey: '5927953089309329742', checkpoint: 'deadline-tracker' },
} as const;

export type SingleActivePart = keyof typeof SINGLE_ACTIVE_PARTS;

/** Consumer groups of this backbone are named `<topic prefix>referral-backbone.<app>…`. */
export const backboneGroupPrefix = (topicPrefix: string): string =>
  `${topicPrefix}referral-backbone.`;

/** The projectors' consumer groups (one per read-model family). */
export const projectorGroupPrefix = (topicPrefix: string): string =>
  `${backboneGroupPrefix(topicPrefix)}projector.`;
