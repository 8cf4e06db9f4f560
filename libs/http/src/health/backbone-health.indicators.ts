import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';
import { Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { BackbonePositions, SingleActivePartState } from './backbone-positions';
import { KafkaAdminSession, projectorGroupPrefix } from '@backbone/messaging';
import { projectorGroups } from './projector-groups';

/** A follower whose oldest unprocessed event is older than this is not keeping up. */
export const STALE_AFTER_SECONDS = 60;
const ASK_TIMEOUT_MS = 3_000;

/** Why a check failed, without the error's own text (it may name hosts or credentials). */
const failure = (error: unknown): string =>
  error instanceof Error && /did not answer/.test(error.message) ? error.message : 'unreachable';

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer in ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One indicator per part of the backbone (CONTRACT §7 `/health`): Kafka, PostgreSQL, the
 * publisher, the projectors and the deadline watcher. The parts are judged from the shared
 * database and the brokers, so every app reports the whole backbone.
 */
@Injectable()
export class BackboneHealthIndicators implements OnApplicationShutdown {
  private readonly admin: KafkaAdminSession;
  private readonly positions: BackbonePositions;

  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly pool: Pool,
    private readonly topics: TopicNames,
    kafka: Kafka,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {
    this.admin = new KafkaAdminSession(kafka);
    this.positions = new BackbonePositions(pool);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin.close();
  }

  /** The checks of one `/health` request; the two single-active parts share one query. */
  checks(): HealthIndicatorFunction[] {
    let parts: ReturnType<BackbonePositions['singleActiveParts']> | undefined;
    const sharedParts = () => (parts ??= this.positions.singleActiveParts());
    return [
      () => this.kafka(),
      () => this.postgres(),
      async () =>
        this.singleActive('publisher', (await sharedParts().catch(() => undefined))?.publisher),
      () => this.projectors(),
      async () =>
        this.singleActive(
          'deadlineWatcher',
          (await sharedParts().catch(() => undefined))?.deadlineWatcher,
        ),
    ];
  }

  private async kafka() {
    const check = this.indicator.check('kafka');
    try {
      const cluster = await this.admin.use((admin) => admin.describeCluster(), ASK_TIMEOUT_MS);
      return check.up({ brokers: cluster.brokers.length });
    } catch (error) {
      return check.down({ message: failure(error) });
    }
  }

  private async postgres() {
    const check = this.indicator.check('postgres');
    try {
      await withTimeout(this.pool.query('SELECT 1'), ASK_TIMEOUT_MS, 'PostgreSQL');
      return check.up();
    } catch (error) {
      return check.down({ message: failure(error) });
    }
  }

  /** Up when an instance holds the part's lock and its backlog is younger than a minute. */
  private singleActive(key: 'publisher' | 'deadlineWatcher', state?: SingleActivePartState) {
    const check = this.indicator.check(key);
    if (!state) return check.down({ message: 'its state could not be read from PostgreSQL' });
    const details = {
      active: state.active,
      behindEvents: state.behindEvents,
      behindSeconds: Math.round(state.behindSeconds),
    };
    if (!state.active) return check.down({ ...details, message: 'no instance is running it' });
    if (state.behindSeconds > STALE_AFTER_SECONDS)
      return check.down({ ...details, message: `more than ${STALE_AFTER_SECONDS} s behind` });
    return check.up(details);
  }

  /** Up when every projector group has a live member. */
  private async projectors() {
    const check = this.indicator.check('projectors');
    try {
      const groups = await this.admin.use(
        (admin) =>
          projectorGroups(
            admin,
            this.positions,
            this.topics.events,
            projectorGroupPrefix(this.config.topicPrefix),
          ),
        ASK_TIMEOUT_MS,
      );
      const details = { groups: groups.map(({ group, ...state }) => ({ group, ...state })) };
      if (!groups.length) return check.down({ ...details, message: 'no projector has joined' });
      if (groups.some((group) => group.members === 0))
        return check.down({ ...details, message: 'a projector group has no live member' });
      return check.up(details);
    } catch (error) {
      return check.down({ message: failure(error) });
    }
  }
}
