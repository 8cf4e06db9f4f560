import type { TopicNames } from '@backbone/contracts';
import type { TopicSpec } from './topic-admin';

/** Every topic of CONTRACT §2 for these agencies. */
export function backboneTopics(
  names: TopicNames,
  agencyIds: string[],
  partitions: number,
): TopicSpec[] {
  const shared = [names.events, names.deadLetter];
  const perAgency = agencyIds.flatMap((id) => names.forAgency(id));
  return [...shared, ...perAgency].map((topic) => ({ topic, numPartitions: partitions }));
}
