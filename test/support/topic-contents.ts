import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

export interface RemainingRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
}

/** Each partition's earliest and next offsets, as the broker answers now. */
export async function offsetsOf(
  kafka: Kafka,
  topic: string,
): Promise<{ partition: number; low: bigint; high: bigint }[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.map(({ partition, low, high }) => ({
      partition,
      low: BigInt(low),
      high: BigInt(high),
    }));
  } finally {
    await admin.disconnect();
  }
}

/**
 * Every record still on `topic`, read as any client could: a new consumer group from each
 * partition's earliest offset to its end. Records retention deletes meanwhile are simply not
 * read (the group starts again from the new earliest offset).
 */
export async function recordsStillOn(
  brokers: string[],
  topic: string,
  timeoutMs = 30_000,
): Promise<RemainingRecord[]> {
  const kafka = new Kafka({ brokers, clientId: 'topic-contents', logLevel: logLevel.NOTHING });
  const ends = await offsetsOf(kafka, topic);
  if (ends.every(({ low, high }) => low === high)) return [];
  const records: RemainingRecord[] = [];
  const reached = new Map<number, bigint>();
  const consumer = kafka.consumer({
    groupId: `topic-contents-${randomUUID()}`,
    maxWaitTimeInMs: 200,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        records.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
        });
        reached.set(partition, BigInt(message.offset) + 1n);
      },
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Read to the end each partition had, or until retention emptied it.
      const now = await offsetsOf(kafka, topic);
      const done = ends.every(({ partition, high }) => {
        const current = now.find((o) => o.partition === partition);
        return (reached.get(partition) ?? 0n) >= high || (current && current.low >= high);
      });
      if (done) return records;
      if (Date.now() > deadline) throw new Error(`could not read ${topic} to its end`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await consumer.disconnect();
  }
}
