// Splits one send into requests whose record batches fit the broker's limits. kafkajs writes all
// of one send's records for a partition as one record batch, and the broker refuses a batch over
// the topic's `max.message.bytes` whole: a long run of large events on one stream would be
// refused for ever.
import type { IHeaders, Message, TopicMessages } from 'kafkajs';

/**
 * A record's bytes besides its key, value and headers, rounded up: its length, attributes,
 * timestamp and offset deltas, and the key, value and header-count lengths (varints of up to 5
 * or 10 bytes each).
 */
const RECORD_OVERHEAD_BYTES = 48;
/** Each header's name and value lengths. */
const HEADER_OVERHEAD_BYTES = 10;
/** The record batch's own header (61 bytes in Kafka's format v2), rounded up. */
export const BATCH_OVERHEAD_BYTES = 128;

export interface SplitBudget {
  /** The most bytes of one topic's records in one request (and so in any of its partitions). */
  batchBytes: number;
  /** The most bytes of all records in one request. */
  requestBytes: number;
}

const byteLength = (value: Buffer | string | null | undefined): number =>
  value === null || value === undefined
    ? 0
    : typeof value === 'string'
      ? Buffer.byteLength(value, 'utf8')
      : value.length;

function headerBytes(headers: IHeaders | undefined): number {
  let total = 0;
  for (const [name, value] of Object.entries(headers ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      total += HEADER_OVERHEAD_BYTES + byteLength(name) + byteLength(item);
    }
  }
  return total;
}

/** A record's size in a record batch, never under the real one. */
export function estimateRecordBytes(message: Message): number {
  return (
    RECORD_OVERHEAD_BYTES +
    byteLength(message.key) +
    byteLength(message.value) +
    headerBytes(message.headers)
  );
}

interface Chunk {
  bytes: number;
  /** Per topic: its records in this chunk, and their bytes. */
  topics: Map<string, { messages: Message[]; bytes: number }>;
}

/**
 * The messages of one send as requests to send one after another, each acknowledged before the
 * next: every topic's records in each request stay within `budget.batchBytes` (the producer picks
 * partitions from keys, so a topic's records in one request bound each of its partitions'
 * batches), and each request within `budget.requestBytes`. A topic's messages keep their order:
 * each goes to the same request as the one before it or a later one. A record larger than the
 * budget by itself goes alone (for its topic) into a request: whether the topic takes it is the
 * broker's to say.
 */
export function splitToFit(topicMessages: TopicMessages[], budget: SplitBudget): TopicMessages[][] {
  const chunks: Chunk[] = [];
  const chunkAt = (index: number): Chunk => {
    while (chunks.length <= index) chunks.push({ bytes: 0, topics: new Map() });
    return chunks[index];
  };
  for (const { topic, messages } of topicMessages) {
    // The request the topic's previous message went to: this one goes there or later.
    let index = 0;
    for (const message of messages) {
      const bytes = estimateRecordBytes(message);
      for (; ; index++) {
        const chunk = chunkAt(index);
        const mine = chunk.topics.get(topic);
        const fitsTopic = !mine || mine.bytes + bytes + BATCH_OVERHEAD_BYTES <= budget.batchBytes;
        const fitsRequest = chunk.bytes === 0 || chunk.bytes + bytes <= budget.requestBytes;
        if (fitsTopic && fitsRequest) {
          if (mine) {
            mine.messages.push(message);
            mine.bytes += bytes;
          } else chunk.topics.set(topic, { messages: [message], bytes });
          chunk.bytes += bytes;
          break;
        }
      }
      // A record over the budget by itself closes its topic's batch in that request.
      if (bytes + BATCH_OVERHEAD_BYTES > budget.batchBytes) index++;
    }
  }
  return chunks
    .filter((chunk) => chunk.topics.size > 0)
    .map((chunk) => [...chunk.topics].map(([topic, { messages }]) => ({ topic, messages })));
}
