import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { BackbonePositions, SingleActivePartState, projectorGroups } from '@backbone/http';
import { KafkaAdminSession, projectorGroupPrefix } from '@backbone/messaging';
import { ConsumerLagSampler, GroupLag } from './consumer-lag-sampler';

export interface ProjectionLag {
  group: string;
  members: number;
  /** Stored events not yet in this projector's read models: the publisher's backlog plus records on Kafka it has not applied. */
  behindEvents: number;
  behindSeconds: number;
  /** `behindSeconds` is a lower bound (the waiting record is older than the sampled history). */
  behindSecondsAtLeast: boolean;
}

export interface BackboneLag {
  sampledAt?: string;
  /** The highest global position in the event store. */
  storeHead: string;
  publisher: SingleActivePartState;
  deadlineWatcher: SingleActivePartState;
  projection: ProjectionLag[];
  /** Followers of the store's log wait for the oldest open transaction: its age. */
  oldestTransactionSeconds: number;
  groups: GroupLag[];
  /** What could not be measured this time, and why. */
  problems: string[];
}

/** The whole lag picture: every follower against the store's head, and every consumer group. */
@Injectable()
export class BackboneLagReport implements OnApplicationShutdown {
  private readonly positions: BackbonePositions;
  private readonly admin: KafkaAdminSession;

  constructor(
    pool: Pool,
    kafka: Kafka,
    private readonly topics: TopicNames,
    private readonly sampler: ConsumerLagSampler,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {
    this.positions = new BackbonePositions(pool);
    this.admin = new KafkaAdminSession(kafka);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin.close();
  }

  async report(): Promise<BackboneLag> {
    const [storeHead, parts, oldestTransactionSeconds, projectors] = await Promise.all([
      this.positions.storeHead(),
      this.positions.singleActiveParts(),
      this.positions.oldestTransactionAgeSeconds(),
      // Kafka's answer is one part of the picture: without it the rest still shows.
      this.admin
        .use((admin) =>
          projectorGroups(
            admin,
            this.positions,
            this.topics.events,
            projectorGroupPrefix(this.config.topicPrefix),
          ),
        )
        .catch(() => undefined),
    ]);
    const problems = projectors ? [] : ['Kafka did not answer: projection lag is unknown'];
    const groups = this.sampler.snapshot();
    const projection = (projectors ?? []).map((projector): ProjectionLag => {
      // How long the records waiting on Kafka have waited, from the sampled end offsets.
      const onKafka = (groups.find((g) => g.group === projector.group)?.partitions ?? [])
        .filter(() => projector.behindRecords > 0)
        .map((p) => p.lagSeconds);
      const oldest = onKafka.reduce((a, b) => (b.seconds > a.seconds ? b : a), {
        seconds: 0,
        atLeast: false,
      });
      const publisherOlder = parts.publisher.behindSeconds >= oldest.seconds;
      return {
        group: projector.group,
        members: projector.members,
        behindEvents: parts.publisher.behindEvents + projector.behindRecords,
        behindSeconds: publisherOlder ? parts.publisher.behindSeconds : oldest.seconds,
        behindSecondsAtLeast: !publisherOlder && oldest.atLeast,
      };
    });
    const sampledAt = this.sampler.lastSampledAt;
    return {
      ...(sampledAt ? { sampledAt: new Date(sampledAt).toISOString() } : {}),
      storeHead,
      publisher: parts.publisher,
      deadlineWatcher: parts.deadlineWatcher,
      projection,
      oldestTransactionSeconds,
      groups,
      problems,
    };
  }
}
