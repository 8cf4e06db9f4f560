import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Admin, AssignerProtocol, GroupDescription, Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { sleepUnlessAborted } from '@backbone/database';
import { BackbonePositions } from '@backbone/http';
import {
  KafkaAdminSession,
  backboneGroupPrefix,
  projectorGroupPrefix,
  tailGroupPrefix,
} from '@backbone/messaging';
import { rootLogger } from '@backbone/observability';
import { consumerLagMetrics } from '../metrics/ops-console-metrics';
import { OPS_CONSOLE_SETTINGS, OpsConsoleSettings } from '../ops-console-settings';
import {
  LagSeconds,
  LagStatus,
  OffsetSample,
  lagOf,
  lagSeconds,
  partitionStatus,
  worstStatus,
} from './lag-status';

/** Samples kept per partition: the end-offset history lag in seconds is read from. */
const HISTORY = 120;
const STATUSES: LagStatus[] = ['OK', 'WARN', 'STALL', 'STOP'];

export interface PartitionLag {
  topic: string;
  partition: number;
  /** The group's committed offset; -1 when it never committed on this partition. */
  committed: number;
  end: number;
  lag: number;
  lagSeconds: LagSeconds;
  status: LagStatus;
}

export interface GroupLag {
  group: string;
  /** Kafka's state of the group (Stable, Empty, …), or `Unknown` once Kafka forgot it. */
  state: string;
  members: number;
  status: LagStatus;
  partitions: PartitionLag[];
}

interface PartitionHistory {
  group: string;
  topic: string;
  partition: number;
  samples: OffsetSample[];
}

interface GroupSeen {
  state: string;
  members: number;
}

/** The topics the group's live members are assigned, read from their assignments. */
function assignedTopics(description: GroupDescription | undefined): string[] {
  return (description?.members ?? []).flatMap((member) => {
    try {
      return Object.keys(
        AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment ?? {},
      );
    } catch {
      return [];
    }
  });
}

/**
 * Samples the committed offsets of the backbone's consumer groups and the ends of their
 * partitions through the Kafka admin API, every OPS_LAG_SAMPLE_MS, and judges each partition.
 * A group stays listed once seen, also when it has no live member left (that is when it
 * matters most), for as long as this console runs.
 */
@Injectable()
export class ConsumerLagSampler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = rootLogger.child({ component: 'ops-console-lag' });
  private readonly admin: KafkaAdminSession;
  private readonly histories = new Map<string, PartitionHistory>();
  private readonly groups = new Map<string, GroupSeen>();
  private readonly stopping = new AbortController();
  private running?: Promise<void>;
  private sampledAt?: number;

  private readonly positions: BackbonePositions;

  constructor(
    kafka: Kafka,
    pool: Pool,
    private readonly topics: TopicNames,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
    @Inject(OPS_CONSOLE_SETTINGS) private readonly settings: OpsConsoleSettings,
  ) {
    this.admin = new KafkaAdminSession(kafka);
    this.positions = new BackbonePositions(pool);
  }

  onApplicationBootstrap(): void {
    this.running = this.sampleUntilStopped();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.running;
    await this.admin.close();
  }

  /** When the latest sample was taken (epoch ms), if any was. */
  get lastSampledAt(): number | undefined {
    return this.sampledAt;
  }

  /** Every group seen, each partition judged on its window, worst groups first. */
  snapshot(now = Date.now()): GroupLag[] {
    const byGroup = new Map<string, PartitionLag[]>();
    for (const history of this.histories.values()) {
      const latest = history.samples[history.samples.length - 1];
      const members = this.groups.get(history.group)?.members ?? 0;
      const partitions = byGroup.get(history.group) ?? [];
      partitions.push({
        topic: history.topic,
        partition: history.partition,
        committed: latest.committed,
        end: latest.end,
        lag: lagOf(latest),
        lagSeconds: lagSeconds(history.samples, now),
        status: partitionStatus(history.samples, members),
      });
      byGroup.set(history.group, partitions);
    }
    return [...this.groups.entries()]
      .map(([group, seen]) => {
        const partitions = (byGroup.get(group) ?? []).sort(
          (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition,
        );
        return { group, ...seen, status: worstStatus(partitions.map((p) => p.status)), partitions };
      })
      .sort(
        (a, b) =>
          STATUSES.indexOf(b.status) - STATUSES.indexOf(a.status) || a.group.localeCompare(b.group),
      );
  }

  private async sampleUntilStopped(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      try {
        await this.admin.use((admin) => this.sample(admin), 20_000);
        this.sampledAt = Date.now();
        this.export();
      } catch (error) {
        if (!signal.aborted) this.logger.warn({ err: error }, 'could not sample consumer lag');
      }
      await sleepUnlessAborted(this.settings.lagSampleMs, signal);
    }
  }

  private async sample(admin: Admin): Promise<void> {
    const prefix = backboneGroupPrefix(this.config.topicPrefix);
    const ownTail = tailGroupPrefix(this.config.topicPrefix);
    const listed = (await admin.listGroups()).groups
      .map((group) => group.groupId)
      .filter((id) => id.startsWith(prefix) && !id.startsWith(ownTail));
    const names = [...new Set([...listed, ...this.groups.keys()])];
    if (!names.length) return;
    const described = (await admin.describeGroups(names)).groups;
    const topics = (await admin.listTopics()).filter((topic) =>
      topic.startsWith(`${this.config.topicPrefix}referrals.`),
    );
    const ends = new Map<string, Promise<Map<number, number>>>();
    const endsOf = (topic: string) => {
      let found = ends.get(topic);
      if (!found) {
        found = admin
          .fetchTopicOffsets(topic)
          .then((offsets) => new Map(offsets.map((o) => [o.partition, Number(o.high)])));
        ends.set(topic, found);
      }
      return found;
    };
    const at = Date.now();
    for (const group of names) {
      const description = described.find((d) => d.groupId === group);
      const members = description?.members.length ?? 0;
      this.groups.set(group, { state: description?.state ?? 'Unknown', members });
      const committed = await this.committedOffsets(admin, group, topics);
      const assigned = new Set(assignedTopics(description));
      for (const { topic, partitions } of committed) {
        // A topic the group never committed on and is not assigned is not one it consumes.
        if (!assigned.has(topic) && partitions.every((p) => Number(p.offset) < 0)) continue;
        const topicEnds = await endsOf(topic);
        for (const { partition, offset } of partitions) {
          this.record(group, topic, partition, {
            at,
            committed: Number(offset),
            end: topicEnds.get(partition) ?? 0,
          });
        }
      }
    }
  }

  /**
   * The group's committed offsets per topic. A projector's position is the one it commits with
   * its read models in `projector_offsets` (it does not commit to Kafka): that one is used.
   */
  private async committedOffsets(admin: Admin, group: string, topics: string[]) {
    const committed = await admin.fetchOffsets({ groupId: group, topics });
    if (!group.startsWith(projectorGroupPrefix(this.config.topicPrefix))) return committed;
    const stored = await this.positions.projectorOffsets(this.topics.events, group);
    return committed.map(({ topic, partitions }) => ({
      topic,
      partitions: partitions.map((p) => {
        const own = stored.find((s) => s.group === group && s.partition === p.partition);
        return own && topic === this.topics.events ? { ...p, offset: own.nextOffset } : p;
      }),
    }));
  }

  private record(group: string, topic: string, partition: number, sample: OffsetSample): void {
    const key = `${group}\u0000${topic}\u0000${partition}`;
    const history = this.histories.get(key) ?? { group, topic, partition, samples: [] };
    history.samples.push(sample);
    if (history.samples.length > HISTORY) history.samples.shift();
    this.histories.set(key, history);
  }

  /** The latest judgement as gauges, for Prometheus and its alert rules. */
  private export(): void {
    for (const group of this.snapshot()) {
      for (const p of group.partitions) {
        const labels = { group: group.group, topic: p.topic, partition: String(p.partition) };
        consumerLagMetrics.lag.set(labels, p.lag);
        consumerLagMetrics.lagSeconds.set(labels, p.lagSeconds.seconds);
        for (const status of STATUSES)
          consumerLagMetrics.status.set({ ...labels, status }, status === p.status ? 1 : 0);
      }
    }
  }
}
