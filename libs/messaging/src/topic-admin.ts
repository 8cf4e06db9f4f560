import { Admin, ConfigResourceTypes, ConfigSource, Kafka } from 'kafkajs';
import type { KafkaReplicationConfig } from '@backbone/config';
import { rootLogger } from '@backbone/observability';
import { resolveReplication } from './replication';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  /** Topic-level settings, e.g. `max.message.bytes`, `retention.ms`. */
  config?: Record<string, string>;
}

/** Settings an existing topic keeps when it already allows more. */
const AT_LEAST = new Set(['max.message.bytes']);

const logger = rootLogger.child({ component: 'topic-admin' });

/**
 * Creates the topics that do not exist yet, with their settings; an existing topic is given the
 * settings it lacks or holds otherwise (an upgraded deployment's topics, made before a setting
 * was added, or a retention changed since), and keeps a record limit that is already larger.
 * New topics get `replication` (unset parts follow the cluster's size, see resolveReplication);
 * an existing topic keeps its copies and gets the wanted `min.insync.replicas`, at most its
 * own count of copies. Returns the topics it created.
 */
export async function ensureTopics(
  kafka: Kafka,
  specs: TopicSpec[],
  replication: KafkaReplicationConfig = {},
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { brokers } = await admin.describeCluster();
    const { factor, minInsyncReplicas } = resolveReplication(replication, brokers.length);
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.topic));
    if (missing.length) {
      await admin.createTopics({
        topics: missing.map(({ topic, numPartitions, config = {} }) => ({
          topic,
          numPartitions,
          replicationFactor: factor,
          configEntries: Object.entries({
            ...config,
            'min.insync.replicas': String(minInsyncReplicas),
          }).map(([name, value]) => ({ name, value })),
        })),
        // Waited for below: kafkajs's own wait gives up when the broker does not know a new topic
        // yet (KRaft brokers learn of it a moment after the controller made it).
        waitForLeaders: false,
      });
      await waitForLeaders(
        admin,
        missing.map((spec) => spec.topic),
      );
    }
    // Not fatal: without the right to describe or alter topic settings (a principal narrower
    // than the backbone's own), a topic keeps its limit, which producers' batches stay under,
    // and its retention, which the cluster's operators then answer for: logged as an error.
    await withMinInsync(
      admin,
      specs.filter((spec) => existing.has(spec.topic)),
      minInsyncReplicas,
    )
      .then((kept) => applySettings(admin, kept))
      .catch((error: unknown) =>
        logger.error(
          { err: error },
          'could not check or apply the settings of existing topics: their record limits and retention stay as they are',
        ),
      );
    return missing.map((spec) => spec.topic);
  } finally {
    await admin.disconnect();
  }
}

/** Answers meaning the broker has not caught up with a topic just made. */
const NOT_YET = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);
const LEADERS_TIMEOUT_MS = 30_000;

async function waitForLeaders(admin: Admin, topics: string[]): Promise<void> {
  const deadline = Date.now() + LEADERS_TIMEOUT_MS;
  for (;;) {
    try {
      const { topics: described } = await admin.fetchTopicMetadata({ topics });
      if (described.every((t) => t.partitions.length && t.partitions.every((p) => p.leader >= 0)))
        return;
    } catch (error) {
      if (!NOT_YET.has((error as { type?: string }).type ?? '') || Date.now() > deadline)
        throw error;
    }
    if (Date.now() > deadline) throw new Error(`no leaders for new topics ${topics.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Existing topics' specs with `min.insync.replicas`: the wanted count, at most their copies. */
async function withMinInsync(
  admin: Admin,
  specs: TopicSpec[],
  wanted: number,
): Promise<TopicSpec[]> {
  if (!specs.length) return [];
  const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((spec) => spec.topic) });
  const copies = new Map(topics.map((t) => [t.name, t.partitions[0]?.replicas.length ?? 1]));
  return specs.map((spec) => ({
    ...spec,
    config: {
      ...spec.config,
      'min.insync.replicas': String(Math.min(wanted, copies.get(spec.topic) ?? 1)),
    },
  }));
}

const needsChange = (name: string, current: string | undefined, wanted: string): boolean =>
  current === undefined ||
  (AT_LEAST.has(name) ? Number(current) < Number(wanted) : current !== wanted);

/**
 * Kafka's AlterConfigs (the one kafkajs speaks) replaces all of a topic's own settings, so each
 * topic is written with the settings it has (say an operator's compression) plus the wanted ones.
 */
async function applySettings(admin: Admin, specs: TopicSpec[]): Promise<void> {
  if (!specs.length) return;
  const { resources } = await admin.describeConfigs({
    resources: specs.map(({ topic }) => ({ type: ConfigResourceTypes.TOPIC, name: topic })),
    includeSynonyms: false,
  });
  const changes = [];
  for (const spec of specs) {
    const described = resources.find((r) => r.resourceName === spec.topic);
    if (!described || described.errorCode !== 0) continue;
    const entries = described.configEntries;
    const effective = new Map(entries.map((e) => [e.configName, e.configValue]));
    const wanted = Object.entries(spec.config ?? {}).filter(([name, value]) =>
      needsChange(name, effective.get(name), value),
    );
    if (!wanted.length) continue;
    const own = entries.filter((e) => e.configSource === ConfigSource.TOPIC_CONFIG);
    if (own.some((e) => e.isSensitive)) {
      // Its value is not described, so writing the topic's settings again would lose it.
      logger.warn({ topic: spec.topic, wanted }, 'topic has a secret setting: not changed');
      continue;
    }
    const settings = new Map(own.map((e) => [e.configName, e.configValue]));
    for (const [name, value] of wanted) settings.set(name, value);
    changes.push({
      type: ConfigResourceTypes.TOPIC,
      name: spec.topic,
      configEntries: [...settings].map(([name, value]) => ({ name, value })),
    });
    logger.info(
      { topic: spec.topic, settings: Object.fromEntries(wanted) },
      'topic settings applied',
    );
  }
  if (changes.length) await admin.alterConfigs({ validateOnly: false, resources: changes });
}
