import type { Consumer, ConsumerRunConfig, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { FetchPacing, createConsumer } from './kafka-client';
import { KeptRunning } from './kept-running';

/** What a consumer of the backbone reads, and how it handles what it reads. */
export interface ConsumerPlan {
  groupId: string;
  topics: string[];
  /** Where a group with no committed offsets starts. */
  fromBeginning: boolean;
  pacing?: FetchPacing;
  /**
   * Called whenever the group gives this consumer its partitions: at start, after a rebalance
   * and after a restart, so that a consumer keeping its position elsewhere can seek there.
   */
  onAssigned?: (consumer: Consumer, assignment: Record<string, number[]>) => void;
  /** kafkajs's run options; the handlers get the consumer to seek or commit on. */
  run: (consumer: Consumer) => ConsumerRunConfig;
}

/**
 * The one lifecycle of every consumer of the backbone (command intake, projector, dead-letter
 * copier, live tail): created with the backbone's defaults, connected, subscribed, run and kept
 * running through crashes kafkajs gives up on (KeptRunning), stopped once.
 */
export class ConsumerRunner {
  private kept?: KeptRunning;

  constructor(
    private readonly kafka: Kafka,
    private readonly plan: ConsumerPlan,
    private readonly logger: Logger,
  ) {}

  get groupId(): string {
    return this.plan.groupId;
  }

  /** Resolves once the consumer runs (its group may still be joining). */
  async start(): Promise<void> {
    const { plan } = this;
    const consumer = createConsumer(this.kafka, plan.groupId, plan.pacing);
    this.kept = new KeptRunning(consumer, this.logger);
    const { onAssigned } = plan;
    if (onAssigned)
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) =>
        onAssigned(consumer, payload.memberAssignment),
      );
    await consumer.connect();
    await consumer.subscribe({ topics: plan.topics, fromBeginning: plan.fromBeginning });
    await this.kept.run(plan.run(consumer));
  }

  /** Stops and disconnects the consumer (also one whose start failed half-way). */
  async stop(): Promise<void> {
    const kept = this.kept;
    this.kept = undefined;
    await kept?.stop();
  }
}
