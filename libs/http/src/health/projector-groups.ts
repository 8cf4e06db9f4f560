import type { Admin } from 'kafkajs';
import type { BackbonePositions } from './backbone-positions';

export interface ProjectorGroupState {
  group: string;
  /** Live members of the consumer group: 0 when no projector instance is consuming. */
  members: number;
  /** Records on the events topic not yet in the read models, by the projector's own offsets. */
  behindRecords: number;
}

/**
 * Each projector group: whether an instance consumes for it, and how far its read models are
 * behind the events topic. Its position is taken from `projector_offsets`, which commits with
 * the read models (Kafka's committed offsets may trail it).
 */
export async function projectorGroups(
  admin: Admin,
  positions: BackbonePositions,
  eventsTopic: string,
  groupPrefix: string,
): Promise<ProjectorGroupState[]> {
  const [{ groups }, ends, offsets] = await Promise.all([
    admin.listGroups(),
    admin.fetchTopicOffsets(eventsTopic),
    positions.projectorOffsets(eventsTopic, groupPrefix),
  ]);
  const names = new Set(
    groups.map((g) => g.groupId).filter((groupId) => groupId.startsWith(groupPrefix)),
  );
  for (const offset of offsets) names.add(offset.group);
  const described = names.size ? (await admin.describeGroups([...names])).groups : [];
  return [...names].sort().map((group) => {
    const behindRecords = ends.reduce((sum, end) => {
      const next = offsets.find((o) => o.group === group && o.partition === end.partition);
      return sum + Math.max(0, Number(end.high) - Number(next?.nextOffset ?? end.low));
    }, 0);
    const members = described.find((d) => d.groupId === group)?.members.length ?? 0;
    return { group, members, behindRecords };
  });
}
