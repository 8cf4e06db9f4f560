import type { BackboneConfig, TopicClass } from '@backbone/config';
import type { TopicNames } from '@backbone/contracts';
import type { TopicSpec } from './topic-admin';
import {
  BACKBONE_TOPIC_MAX_MESSAGE_BYTES,
  COMMAND_TOPIC_MAX_MESSAGE_BYTES,
  DEAD_LETTER_TOPIC_MAX_MESSAGE_BYTES,
} from './record-limits';

/** What the topics are made with: their partitions and how long each class keeps records. */
export type TopicLayout = Pick<BackboneConfig, 'topicPartitions' | 'retention'>;

/**
 * How long a topic keeps records. Retention deletes whole segments once their newest record is
 * older than `retention.ms`, so a segment is rolled at least every `segment.ms` (never later
 * than the retention itself); the broker's clock decides a record's age (`LogAppendTime`), not a
 * timestamp its producer chose; and the topic deletes, whatever policy it was given by hand.
 */
export function retentionSettings(
  retentionMs: number,
  segmentCapMs: number,
): Record<string, string> {
  const segmentMs = retentionMs > 0 ? Math.min(segmentCapMs, retentionMs) : segmentCapMs;
  return {
    'cleanup.policy': 'delete',
    'retention.ms': String(retentionMs),
    'segment.ms': String(segmentMs),
    'message.timestamp.type': 'LogAppendTime',
  };
}

/**
 * Every topic of CONTRACT §2 for these agencies, each with a `max.message.bytes` that takes the
 * largest record written to it (see record-limits), never the broker's default, and the
 * retention of its class.
 */
export function backboneTopics(
  names: TopicNames,
  agencyIds: string[],
  { topicPartitions, retention }: TopicLayout,
): TopicSpec[] {
  const spec = (topic: string, bytes: number, topicClass: TopicClass): TopicSpec => ({
    topic,
    numPartitions: topicPartitions,
    config: {
      'max.message.bytes': String(bytes),
      ...retentionSettings(retention.topicsMs[topicClass], retention.segmentMs),
    },
  });
  return [
    spec(names.events, BACKBONE_TOPIC_MAX_MESSAGE_BYTES, 'events'),
    spec(names.deadLetter, DEAD_LETTER_TOPIC_MAX_MESSAGE_BYTES, 'deadLetter'),
    ...agencyIds.flatMap((id) => [
      spec(names.commands(id), COMMAND_TOPIC_MAX_MESSAGE_BYTES, 'commands'),
      spec(names.outcomes(id), BACKBONE_TOPIC_MAX_MESSAGE_BYTES, 'outcomes'),
      spec(names.inbox(id), BACKBONE_TOPIC_MAX_MESSAGE_BYTES, 'inbox'),
    ]),
  ];
}
