import type { Kafka } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  /** Topic-level settings, e.g. `max.message.bytes`. */
  config?: Record<string, string>;
}

/** Creates the topics that do not exist yet; existing ones are left as they are. */
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.topic));
    if (missing.length) {
      await admin.createTopics({
        topics: missing.map(({ topic, numPartitions, config = {} }) => ({
          topic,
          numPartitions,
          replicationFactor: -1,
          configEntries: Object.entries(config).map(([name, value]) => ({ name, value })),
        })),
        waitForLeaders: true,
      });
    }
    return missing.map((spec) => spec.topic);
  } finally {
    await admin.disconnect();
  }
}
