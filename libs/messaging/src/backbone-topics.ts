import type { TopicNames } from '@backbone/contracts';
import type { TopicSpec } from './topic-admin';
import {
  BACKBONE_TOPIC_MAX_MESSAGE_BYTES,
  COMMAND_TOPIC_MAX_MESSAGE_BYTES,
  DEAD_LETTER_TOPIC_MAX_MESSAGE_BYTES,
} from './record-limits';

const maxMessageBytes = (bytes: number) => ({ 'max.message.bytes': String(bytes) });

/**
 * Every topic of CONTRACT §2 for these agencies, each with a `max.message.bytes` that takes the
 * largest record written to it (see record-limits): never the broker's default.
 */
export function backboneTopics(
  names: TopicNames,
  agencyIds: string[],
  partitions: number,
): TopicSpec[] {
  const spec = (topic: string, bytes: number): TopicSpec => ({
    topic,
    numPartitions: partitions,
    config: maxMessageBytes(bytes),
  });
  return [
    spec(names.events, BACKBONE_TOPIC_MAX_MESSAGE_BYTES),
    spec(names.deadLetter, DEAD_LETTER_TOPIC_MAX_MESSAGE_BYTES),
    ...agencyIds.flatMap((id) => [
      spec(names.commands(id), COMMAND_TOPIC_MAX_MESSAGE_BYTES),
      spec(names.outcomes(id), BACKBONE_TOPIC_MAX_MESSAGE_BYTES),
      spec(names.inbox(id), BACKBONE_TOPIC_MAX_MESSAGE_BYTES),
    ]),
  ];
}
