import { Inject, Injectable } from '@nestjs/common';
import type { Consumer, KafkaMessage, Message, Offsets, Producer, TopicMessages } from 'kafkajs';
import { TopicNames } from '@backbone/contracts';
import {
  ANSWER_PRODUCER,
  BatchGroups,
  countOutcome,
  fitDeadLetterValue,
  messagingMetrics,
  toKafkaMessage,
} from '@backbone/messaging';
import { isFaultOfTheRecord } from '@backbone/database';
import { rootLogger } from '@backbone/observability';
import { CommandBatchProcessor, CommandRecord } from './command-batch-processor';
import type { ProcessedCommand } from './command-processor';
import { SetAsideCommands } from './set-aside-commands';

/** Consecutive records of one command partition, handed over to be answered. */
export interface PartitionRecords {
  /** The consumer the partition is assigned to, and its offset commit (kafkajs's, for it). */
  consumer: Consumer;
  commit: (offsets: Offsets) => Promise<void>;
  topic: string;
  partition: number;
  /** The agency whose command topic it is. */
  agencyId: string;
  records: KafkaMessage[];
  /** The trace headers of each record's span, carried on to its answer. */
  traces: Record<string, string>[];
}

/**
 * The command partitions' records answered in groups (see BatchGroups): two groups in flight, at
 * most 500 records in one. A group is decided in one transaction, its answers and dead letters go
 * out in one acknowledged produce, and then its partitions' offsets are committed in one request:
 * an offset is committed only once its record's answer is acknowledged. A partition's batches stay
 * in order: the consumer answers kafkajs only once its batch's group is done, and kafkajs hands a
 * partition's next batch over only then.
 */
@Injectable()
export class CommandGroups {
  private readonly logger = rootLogger.child({ component: 'command-consumer' });
  private readonly groups: BatchGroups<PartitionRecords, ProcessedCommand[]>;

  constructor(
    private readonly processor: CommandBatchProcessor,
    private readonly setAside: SetAsideCommands,
    private readonly topics: TopicNames,
    @Inject(ANSWER_PRODUCER) private readonly producer: Producer,
  ) {
    this.groups = new BatchGroups((parts) => this.answerGroup(parts), {
      inFlight: 2,
      maxSize: 500,
      sizeOf: (part) => part.records.length,
    });
  }

  /** The records' results, in order, once their group is answered and its offsets committed. */
  async answer(part: PartitionRecords): Promise<ProcessedCommand[]> {
    const [results] = await this.groups.submit([part]);
    return results;
  }

  private async answerGroup(parts: PartitionRecords[]): Promise<ProcessedCommand[][]> {
    const decided = await this.decide(
      parts.flatMap((part) =>
        part.records.map((message, i) => ({
          value: message.value,
          agencyId: part.agencyId,
          traceparent: part.traces[i].traceparent,
        })),
      ),
    );
    let start = 0;
    const results = parts.map((part) => decided.slice(start, (start += part.records.length)));
    await this.sendAnswers(parts, results);
    await commitAfter(parts);
    return results;
  }

  /**
   * The records' answers, in order. Records that fail together for a reason of their own (not
   * the database's or the broker's, which is retried in place) are halved until the one that
   * fails alone is found; it is set aside and everything around it decided as usual. Halves are
   * decided in order, so each partition's records keep theirs.
   */
  private async decide(records: CommandRecord[]): Promise<ProcessedCommand[]> {
    try {
      return await this.processor.process(records);
    } catch (error) {
      if (!isFaultOfTheRecord(error)) throw error;
      if (records.length === 1) return [await this.setAside.answer(records[0], error)];
      const half = Math.ceil(records.length / 2);
      const before = await this.decide(records.slice(0, half));
      return [...before, ...(await this.decide(records.slice(half)))];
    }
  }

  /** Every answer of the group, and its dead letters, in one acknowledged request. */
  private async sendAnswers(
    parts: PartitionRecords[],
    results: ProcessedCommand[][],
  ): Promise<void> {
    const outcomes = new Map<string, Message[]>();
    const deadLetters: Message[] = [];
    parts.forEach(({ topic, partition, agencyId, records, traces }, p) => {
      results[p].forEach((result, i) => {
        const message = records[i];
        if (result.kind === 'answered') {
          const { outcome } = result;
          const topicOfAnswer = this.topics.outcomes(agencyId);
          const answers = outcomes.get(topicOfAnswer) ?? [];
          outcomes.set(topicOfAnswer, answers);
          answers.push(
            toKafkaMessage(outcome, outcome.subject || outcome.data.commandId, traces[i]),
          );
          return;
        }
        this.logger.warn(
          // Not `reason`: log redaction censors that name, a personal field in the contracts.
          { topic, partition, offset: message.offset, deadLetterReason: result.reason },
          'dead-lettered a command',
        );
        // The command topics' limit is under the dead-letter topic's: cut only if it was raised.
        const copy = message.value && fitDeadLetterValue(message.value);
        deadLetters.push({
          key: message.key,
          value: copy ? copy.value : message.value,
          headers: {
            'dlq-reason': result.reason,
            ...(copy?.truncated
              ? { 'dlq-truncated-from-bytes': String(message.value?.length) }
              : {}),
            'dlq-source-topic': topic,
            'dlq-source-partition': String(partition),
            'dlq-source-offset': message.offset,
            ...traces[i],
          },
        });
      });
    });
    const topicMessages: TopicMessages[] = [...outcomes].map(([topic, messages]) => ({
      topic,
      messages,
    }));
    if (deadLetters.length)
      topicMessages.push({ topic: this.topics.deadLetter, messages: deadLetters });
    await this.produce(topicMessages);
    let answered = 0;
    for (const result of results.flat()) {
      if (result.kind !== 'answered') continue;
      countOutcome(result.outcome, 'kafka');
      answered++;
    }
    messagingMetrics.commandsConsumed.inc({ result: 'answered' }, answered);
    messagingMetrics.commandsConsumed.inc({ result: 'dead_letter' }, deadLetters.length);
  }

  /**
   * Sends the group's messages in one request; should Kafka refuse it for a message of its own
   * (too large, say: bounded outcomes make that a defect), each is sent alone, and one refused
   * alone is logged and skipped. Its outcome stays in the command log, so the agency gets it
   * again by sending the command again; its offset must not hold the partition back for ever.
   */
  private async produce(topicMessages: TopicMessages[]): Promise<void> {
    try {
      await this.producer.sendBatch({ topicMessages, acks: -1 });
      return;
    } catch (error) {
      if (!isFaultOfTheRecord(error)) throw error;
    }
    for (const { topic, messages } of topicMessages) {
      for (const message of messages) {
        try {
          await this.producer.send({ topic, messages: [message], acks: -1 });
        } catch (error) {
          if (!isFaultOfTheRecord(error)) throw error;
          this.logger.error(
            { err: error, topic, headers: message.headers },
            'Kafka refused an answer or dead letter on its own; it was skipped',
          );
        }
      }
    }
  }
}

/**
 * Commits each partition's offset past its last record: one request per consumer (there is one,
 * save while a directory change replaces it). kafkajs's own commit after each batch is off.
 */
async function commitAfter(parts: PartitionRecords[]): Promise<void> {
  const byConsumer = new Map<Consumer, PartitionRecords[]>();
  for (const part of parts) {
    byConsumer.set(part.consumer, [...(byConsumer.get(part.consumer) ?? []), part]);
  }
  await Promise.all(
    [...byConsumer.values()].map((mine) => {
      const byTopic = new Map<string, { partition: number; offset: string }[]>();
      for (const { topic, partition, records } of mine) {
        const next = (BigInt(records[records.length - 1].offset) + 1n).toString();
        byTopic.set(topic, [...(byTopic.get(topic) ?? []), { partition, offset: next }]);
      }
      const topics = [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
      return mine[0].commit({ topics });
    }),
  );
}
