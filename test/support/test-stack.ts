// Per-test-file slices of the shared stack: an own database cloned from the migrated
// template, an own topic prefix, an own HTTP port. Nothing leaks between test files.
import { createHash, randomBytes } from 'node:crypto';
import { BackboneConfig, loadConfig } from '@backbone/config';
import { dropDatabase } from '@backbone/database';
import { TEMPLATE_DATABASE_ENV, cloneDatabase, databaseUrlFor } from './stack-state';

export const uniqueSuffix = (): string => randomBytes(5).toString('hex');

export function testKafkaBrokers(): string[] {
  const brokers = process.env.TEST_KAFKA_BROKERS;
  if (!brokers)
    throw new Error(
      'TEST_KAFKA_BROKERS is unset: run through jest (its global setup starts Kafka)',
    );
  return brokers.split(',');
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A database of its own for one test file, already migrated. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = process.env[TEMPLATE_DATABASE_ENV];
  if (!template)
    throw new Error(
      `${TEMPLATE_DATABASE_ENV} is unset: run through jest (its global setup migrates it)`,
    );
  const templateUrl = databaseUrlFor(loadConfig().databaseUrl, template);
  const url = await cloneDatabase(templateUrl, `backbone_test_${uniqueSuffix()}`);
  return { url, drop: () => dropDatabase(url) };
}

/** Configuration for a backbone under test: own database, own topics, a free HTTP port. */
export function testConfig(
  databaseUrl: string,
  overrides: Partial<BackboneConfig> = {},
): BackboneConfig {
  return {
    ...loadConfig({}),
    kafkaBrokers: testKafkaBrokers(),
    topicPrefix: `t${uniqueSuffix()}.`,
    topicPartitions: 3,
    databaseUrl,
    httpPort: 0,
    // Each test database its own master key (instances sharing a database share it, as in
    // production): nothing may depend on the public development key.
    masterKey: `test:${createHash('sha256').update(databaseUrl).digest('base64')}`,
    subjectIdKey: `test-subject-ids:${databaseUrl}`,
    // A 32-byte Ed25519 seed of its own for evidence bundles.
    auditSigningKey: createHash('sha256').update(`audit:${databaseUrl}`).digest('base64'),
    ...overrides,
  };
}
