// The backbone's background parts as PostgreSQL and Kafka show them, for /health and the ops
// console: read from the shared database and the brokers, so any instance of any app can tell
// how the whole backbone is doing, whichever instances run the parts. The single-active parts
// (publisher, deadline watcher) are named by @backbone/database's SINGLE_ACTIVE_PARTS.

/** Consumer groups of this backbone are named `<topic prefix>referral-backbone.<app>…`. */
export const backboneGroupPrefix = (topicPrefix: string): string =>
  `${topicPrefix}referral-backbone.`;

/** The projectors' consumer groups (one per read-model family). */
export const projectorGroupPrefix = (topicPrefix: string): string =>
  `${backboneGroupPrefix(topicPrefix)}projector.`;
