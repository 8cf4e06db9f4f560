// The names of the backbone's consumer groups, in one place: /health and the ops console find
// the groups by these prefixes, so a consumer named any other way would go unwatched.

/** Consumer groups of this backbone are named `<topic prefix>referral-backbone.<app>…`. */
export const backboneGroupPrefix = (topicPrefix: string): string =>
  `${topicPrefix}referral-backbone.`;

/** The projectors' consumer groups (one per read-model family). */
export const projectorGroupPrefix = (topicPrefix: string): string =>
  `${backboneGroupPrefix(topicPrefix)}projector.`;

/** The ops consoles' live tails: one group per console instance, never committing. */
export const tailGroupPrefix = (topicPrefix: string): string =>
  `${backboneGroupPrefix(topicPrefix)}ops-console.tail.`;

/** The group id of each consumer of the backbone. */
export const CONSUMER_GROUPS = {
  /** A sector service's command intake (every sector's when `sector` is unset). */
  commandIntake: (topicPrefix: string, sector: string | undefined): string =>
    `${backboneGroupPrefix(topicPrefix)}sector-service.${sector ?? 'all'}`,
  /** The projector of a family of read models. */
  projector: (topicPrefix: string, family: string): string =>
    `${projectorGroupPrefix(topicPrefix)}${family}`,
  deadLetterCopier: (topicPrefix: string): string =>
    `${backboneGroupPrefix(topicPrefix)}ops-console.dead-letters`,
  /** One console instance's live tail. */
  liveTail: (topicPrefix: string, instance: string): string =>
    `${tailGroupPrefix(topicPrefix)}${instance}`,
} as const;
