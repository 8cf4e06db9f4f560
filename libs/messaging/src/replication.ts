import type { KafkaReplicationConfig } from '@backbone/config';

export interface TopicReplication {
  /** Copies of each partition, one per broker. */
  factor: number;
  /** Copies that must hold a write (`acks=all`) before the leader acknowledges it. */
  minInsyncReplicas: number;
}

/**
 * The replication new topics are made with, on a cluster of `brokers`: unless set, three copies
 * (or one per broker on a smaller cluster), of which all but one, and at most two, must hold each
 * write, so that one broker can be lost without losing a write or refusing new ones. One broker:
 * one copy, one in sync (a development broker). A setting the cluster cannot meet is refused.
 */
export function resolveReplication(
  wanted: KafkaReplicationConfig,
  brokers: number,
): TopicReplication {
  const factor = wanted.factor ?? Math.max(1, Math.min(3, brokers));
  if (factor > brokers) {
    throw new Error(
      `KAFKA_REPLICATION_FACTOR=${factor} needs at least ${factor} brokers; the cluster has ${brokers}`,
    );
  }
  const minInsyncReplicas = wanted.minInsyncReplicas ?? Math.max(1, Math.min(factor - 1, 2));
  if (minInsyncReplicas > factor) {
    throw new Error(
      `KAFKA_MIN_INSYNC_REPLICAS=${minInsyncReplicas} exceeds the replication factor ${factor}: no write could be acknowledged`,
    );
  }
  return { factor, minInsyncReplicas };
}
