// `npm start -- --fresh`: a development backbone from nothing. The database is dropped and the
// backbone's topics deleted: a fresh store alone would be projected together with the old
// events still on the topics (the projector keeps its offsets in the database).
import { BackboneConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { dropDatabase } from '@backbone/database';
import { backboneTopics, createKafka } from '@backbone/messaging';

const TOPICS_GONE_TIMEOUT_MS = 60_000;

/** Why `--fresh` may not run here, if it may not. */
export const freshRefusal = (config: BackboneConfig): string | undefined =>
  config.environment === 'production'
    ? '--fresh drops the database and deletes the topics: it refuses to run with BACKBONE_ENV=production'
    : undefined;

export async function dropDevelopmentDatabase(config: BackboneConfig): Promise<void> {
  await dropDatabase(config.databaseUrl);
}

/** Deletes the topics of these agencies (and the shared ones) under the configured prefix. */
export async function deleteBackboneTopics(
  config: BackboneConfig,
  agencies: string[],
): Promise<string[]> {
  const kafka = createKafka(
    config.kafkaBrokers,
    'referral-backbone-fresh-start',
    config.kafkaAuth,
    config.kafkaTls,
  );
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ours = new Set(
      backboneTopics(new TopicNames(config.topicPrefix), agencies, config).map(
        (spec) => spec.topic,
      ),
    );
    const existing = (await admin.listTopics()).filter((topic) => ours.has(topic));
    if (!existing.length) return [];
    await admin.deleteTopics({ topics: existing, timeout: TOPICS_GONE_TIMEOUT_MS });
    // Deleting is asynchronous in KRaft: made again too soon, a topic is "marked for deletion".
    const deadline = Date.now() + TOPICS_GONE_TIMEOUT_MS;
    while ((await admin.listTopics()).some((topic) => ours.has(topic))) {
      if (Date.now() > deadline) throw new Error('the deleted topics did not go away in time');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return existing;
  } finally {
    await admin.disconnect();
  }
}
