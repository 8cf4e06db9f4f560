import type { KafkaMessage } from 'kafkajs';
import type { CloudEvent } from '@backbone/contracts';

/** A record of the events topic, read: `event` is undefined when it is not JSON. */
export interface ParsedRecord {
  offset: bigint;
  event?: CloudEvent;
  producedAt: number;
}

/** What a partition's batch applies: its fresh events and when each record was produced. */
export interface FreshEvents {
  events: CloudEvent[];
  producedAt: number[];
}

/**
 * A batch that starts after the partition's stored offset: the records between were never
 * applied. The batch must not be, or they would be skipped for good; the partition is read
 * again from `expected`.
 */
export class OffsetGapError extends Error {
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly expected: bigint,
    readonly first: bigint,
  ) {
    super(
      `${topic}:${partition}: the batch starts at offset ${first}, but offset ${expected} is the next to apply`,
    );
    this.name = 'OffsetGapError';
  }
}

/** The batch's records, each read as JSON where it can be. */
export function readRecords(messages: KafkaMessage[]): ParsedRecord[] {
  return messages.map((message) => ({
    offset: BigInt(message.offset),
    event: readEvent(message),
    producedAt: Number(message.timestamp),
  }));
}

function readEvent(message: KafkaMessage): CloudEvent | undefined {
  try {
    return JSON.parse(String(message.value)) as CloudEvent;
  } catch {
    return undefined;
  }
}

/**
 * The records not yet applied (at or after `from`, the partition's stored offset), with when
 * each was produced; those that cannot be read are told to `unreadable` and skipped. A batch
 * that starts after `from` throws OffsetGapError.
 */
export function freshOf(
  { topic, partition }: { topic: string; partition: number },
  records: ParsedRecord[],
  from: bigint,
  unreadable: (offset: bigint) => void,
): FreshEvents {
  if (records.length && records[0].offset > from)
    throw new OffsetGapError(topic, partition, from, records[0].offset);
  const fresh: FreshEvents = { events: [], producedAt: [] };
  for (const { offset, event, producedAt } of records) {
    if (offset < from) continue; // applied by an earlier delivery
    if (!event) {
      unreadable(offset);
      continue;
    }
    fresh.events.push(event);
    fresh.producedAt.push(producedAt);
  }
  return fresh;
}
