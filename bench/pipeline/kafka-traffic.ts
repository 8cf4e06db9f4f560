// The Kafka records the backbone's topics hold, by kind of topic, read from the broker's end
// offsets: how many records one command costs, which is what the pipeline ÷ Kafka ceiling
// ratio has to be read against (the ceiling is one record produced and consumed).
import { Kafka, logLevel } from 'kafkajs';
import { TopicNames } from '@backbone/contracts';

export const TOPIC_KINDS = ['commands', 'outcomes', 'events', 'inbox', 'dead-letter'] as const;
export type TopicKind = (typeof TOPIC_KINDS)[number];
export type RecordCounts = Record<TopicKind, number>;

/** Which of the backbone's topics `topic` is, or undefined for any other topic. */
export function kindOfTopic(topic: string, names: TopicNames): TopicKind | undefined {
  if (topic === names.events) return 'events';
  if (topic === names.deadLetter) return 'dead-letter';
  for (const kind of ['commands', 'outcomes', 'inbox'] as const) {
    const head = names[kind]('');
    if (topic.startsWith(head) && topic.length > head.length) return kind;
  }
  return undefined;
}

/** Records ever written to the backbone's topics, by kind (no retention deletes them here). */
export async function recordsOnTopics(brokers: string[], names: TopicNames): Promise<RecordCounts> {
  const kafka = new Kafka({ brokers, clientId: 'bench-traffic', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const counts = Object.fromEntries(TOPIC_KINDS.map((kind) => [kind, 0])) as RecordCounts;
    for (const topic of await admin.listTopics()) {
      const kind = kindOfTopic(topic, names);
      if (!kind) continue;
      for (const { high } of await admin.fetchTopicOffsets(topic)) counts[kind] += Number(high);
    }
    return counts;
  } finally {
    await admin.disconnect();
  }
}

/** Records written between two counts, per command sent in between. */
export function recordsPerCommand(
  before: RecordCounts,
  after: RecordCounts,
  commands: number,
): RecordCounts {
  return Object.fromEntries(
    TOPIC_KINDS.map((kind) => [kind, (after[kind] - before[kind]) / commands]),
  ) as RecordCounts;
}
