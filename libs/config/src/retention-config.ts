// How long personal data may stay where the backbone keeps copies outside the event store: each
// class of Kafka topic, and the dead letters copied into PostgreSQL. Defaults are documented in
// the README (Configuration, and "Personal data on Kafka").

/** The classes of topic of CONTRACT §2, each with a retention of its own. */
export const TOPIC_CLASSES = ['commands', 'outcomes', 'inbox', 'events', 'deadLetter'] as const;
export type TopicClass = (typeof TOPIC_CLASSES)[number];

export interface RetentionConfig {
  /** `retention.ms` of each class of topic; UNBOUNDED_RETENTION keeps records for ever. */
  topicsMs: Record<TopicClass, number>;
  /**
   * The longest a topic's segment stays open (`segment.ms`, at most the topic's retention):
   * retention deletes whole segments, so a record can outlive its retention by this much.
   */
  segmentMs: number;
  /** How long the ops console keeps a dead letter's copy; UNBOUNDED_RETENTION keeps it. */
  deadLetterCopiesMs: number;
}

/** Kafka's `retention.ms` for "never delete"; refused in production (see productionProblems). */
export const UNBOUNDED_RETENTION = -1;

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** The environment variable of each topic class's retention. */
export const TOPIC_RETENTION_SETTINGS: Record<TopicClass, keyof typeof RETENTION_DEFAULTS> = {
  commands: 'KAFKA_RETENTION_COMMANDS_MS',
  outcomes: 'KAFKA_RETENTION_OUTCOMES_MS',
  inbox: 'KAFKA_RETENTION_INBOX_MS',
  events: 'KAFKA_RETENTION_EVENTS_MS',
  deadLetter: 'KAFKA_RETENTION_DEAD_LETTER_MS',
};

/**
 * Commands and dead letters are read by the backbone within seconds of arriving: three days
 * covers a backbone down over a long weekend. Outcomes and inboxes wait for agency systems,
 * whose outages the backbone does not control: a week. `referrals.events` is read by the
 * backbone's own consumers, which rebuild from the event store, never from Kafka: a week too.
 * Dead letters' copies stay two weeks for operators to look into and re-drive.
 */
export const RETENTION_DEFAULTS = {
  KAFKA_RETENTION_COMMANDS_MS: String(3 * DAY_MS),
  KAFKA_RETENTION_OUTCOMES_MS: String(7 * DAY_MS),
  KAFKA_RETENTION_INBOX_MS: String(7 * DAY_MS),
  KAFKA_RETENTION_EVENTS_MS: String(7 * DAY_MS),
  KAFKA_RETENTION_DEAD_LETTER_MS: String(3 * DAY_MS),
  KAFKA_SEGMENT_MS: String(DAY_MS),
  DEAD_LETTER_COPY_RETENTION_MS: String(14 * DAY_MS),
} as const;

/** Milliseconds, or UNBOUNDED_RETENTION; zero would delete records as soon as they arrive. */
function retentionMs(name: string, raw: string): number {
  const value = Number(raw.trim());
  if (raw.trim() === '' || !Number.isSafeInteger(value) || (value < 1 && value !== -1))
    throw new Error(
      `${name} must be a number of milliseconds (at least 1), or -1 to keep for ever, got "${raw}"`,
    );
  return value;
}

function positiveMs(name: string, raw: string): number {
  const value = Number(raw.trim());
  if (raw.trim() === '' || !Number.isSafeInteger(value) || value < 1)
    throw new Error(`${name} must be a positive number of milliseconds, got "${raw}"`);
  return value;
}

export function loadRetentionConfig(env: NodeJS.ProcessEnv): RetentionConfig {
  const read = (name: keyof typeof RETENTION_DEFAULTS): string =>
    env[name] || RETENTION_DEFAULTS[name];
  const topicsMs = Object.fromEntries(
    TOPIC_CLASSES.map((topicClass) => {
      const name = TOPIC_RETENTION_SETTINGS[topicClass];
      return [topicClass, retentionMs(name, read(name))];
    }),
  ) as Record<TopicClass, number>;
  return {
    topicsMs,
    segmentMs: positiveMs('KAFKA_SEGMENT_MS', read('KAFKA_SEGMENT_MS')),
    deadLetterCopiesMs: retentionMs(
      'DEAD_LETTER_COPY_RETENTION_MS',
      read('DEAD_LETTER_COPY_RETENTION_MS'),
    ),
  };
}
