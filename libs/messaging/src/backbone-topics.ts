import type { TopicNames } from '@backbone/contracts';
import type { TopicSpec } from './topic-admin';

/**
 * Command topics take records well over the contract's 256 KiB limit, so that an oversized
 * command reaches the backbone and is answered TOO_LARGE instead of being refused by the broker
 * with no answer; the dead-letter topic takes whatever the command topics took.
 */
const COMMAND_RECORD_BYTES = String(4 * 1024 * 1024 + 64 * 1024);
const DEAD_LETTER_RECORD_BYTES = String(5 * 1024 * 1024);

/** Every topic of CONTRACT §2 for these agencies. */
export function backboneTopics(
  names: TopicNames,
  agencyIds: string[],
  partitions: number,
): TopicSpec[] {
  const spec = (topic: string, config?: Record<string, string>): TopicSpec => ({
    topic,
    numPartitions: partitions,
    ...(config ? { config } : {}),
  });
  return [
    spec(names.events),
    spec(names.deadLetter, { 'max.message.bytes': DEAD_LETTER_RECORD_BYTES }),
    ...agencyIds.flatMap((id) => [
      spec(names.commands(id), { 'max.message.bytes': COMMAND_RECORD_BYTES }),
      spec(names.outcomes(id)),
      spec(names.inbox(id)),
    ]),
  ];
}
