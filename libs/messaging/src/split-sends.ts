// Sending through kafkajs in requests that fit the broker: one send's messages split by
// `splitToFit`, the parts sent one after another, and a refusal as too large made loud.
import type {
  Producer,
  ProducerBatch,
  ProducerRecord,
  RecordMetadata,
  TopicMessages,
} from 'kafkajs';
import { rootLogger } from '@backbone/observability';
import { messagingMetrics } from './messaging-metrics';
import { PRODUCE_BATCH_BUDGET_BYTES, PRODUCE_REQUEST_BUDGET_BYTES } from './record-limits';
import { SplitBudget, estimateRecordBytes, splitToFit } from './split-to-fit';

export const DEFAULT_SPLIT_BUDGET: SplitBudget = {
  batchBytes: PRODUCE_BATCH_BUDGET_BYTES,
  requestBytes: PRODUCE_REQUEST_BUDGET_BYTES,
};

/** Broker answers meaning a record batch, or a record alone, is over the topic's limit. */
const TOO_LARGE_ERRORS = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

/** Whether `error`, or an error it wraps, has one of these kafkajs error types. */
export function hasErrorType(error: unknown, types: ReadonlySet<string>): boolean {
  for (let cause = error; cause instanceof Error; cause = (cause as { cause?: unknown }).cause) {
    if (types.has((cause as { type?: string }).type ?? '')) return true;
  }
  return false;
}

/** Whether the broker refused a send as too large for its topic. */
export const isTooLargeError = (error: unknown): boolean => hasErrorType(error, TOO_LARGE_ERRORS);

const logger = rootLogger.child({ component: 'producer' });

/** Loud: whatever sent these cannot get past them until the topic's limit is raised. */
function reportTooLarge(topicMessages: TopicMessages[], error: unknown): void {
  for (const { topic, messages } of topicMessages) {
    const largest = messages.reduce((most, m) => Math.max(most, estimateRecordBytes(m)), 0);
    messagingMetrics.recordsTooLarge.inc({ topic });
    logger.error(
      { err: error, topic, records: messages.length, largestRecordBytes: largest },
      'the broker refused records as too large for the topic: sending is stuck here until ' +
        "the topic's max.message.bytes is raised (every service raises it at start-up)",
    );
  }
}

/**
 * Sends `topicMessages` as requests that fit `budget`, each through `send` once the one before
 * was acknowledged, so a partition's records keep their order. Nothing to send is still one
 * send (kafkajs's checks the producer is connected). A part the broker refuses as too large is
 * reported (error log, `backbone_records_too_large_total`) and fails the whole send.
 */
export async function sendInParts(
  topicMessages: TopicMessages[],
  send: (part: TopicMessages[]) => Promise<RecordMetadata[]>,
  budget: SplitBudget = DEFAULT_SPLIT_BUDGET,
): Promise<RecordMetadata[]> {
  const parts = splitToFit(topicMessages, budget);
  const results: RecordMetadata[] = [];
  for (const part of parts.length ? parts : [[]]) {
    try {
      results.push(...(await send(part)));
    } catch (error) {
      if (isTooLargeError(error)) reportTooLarge(part, error);
      throw error;
    }
  }
  return results;
}

/**
 * `producer` with its `send` and `sendBatch` split into requests that fit the broker (the rest
 * is kafkajs's, whose producer methods do not depend on `this`).
 */
export function splittingProducer(
  producer: Producer,
  budget: SplitBudget = DEFAULT_SPLIT_BUDGET,
): Producer {
  return {
    ...producer,
    send: ({ topic, messages, ...options }: ProducerRecord) =>
      sendInParts(
        [{ topic, messages }],
        ([part]) => producer.send({ ...options, topic, messages: part?.messages ?? [] }),
        budget,
      ),
    sendBatch: ({ topicMessages = [], ...options }: ProducerBatch) =>
      sendInParts(
        topicMessages,
        (part) => producer.sendBatch({ ...options, topicMessages: part }),
        budget,
      ),
  };
}
