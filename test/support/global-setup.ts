// Brings up the stack the integration and end-to-end tests run against, once per `jest` run:
// a fresh local Kafka broker on free ports (or TEST_KAFKA_BROKERS), PostgreSQL (started if
// down), and a migrated template database each test file copies.
import 'tsconfig-paths/register'; // jest's moduleNameMapper does not reach global setup
import { loadConfig } from '@backbone/config';
import { ensureDatabase, migrate } from '@backbone/database';
import { startLocalKafka } from '../../infra/kafka/local-kafka-broker';
import { ensurePostgres } from '../../infra/dev-stack/ensure-postgres';
import { TEMPLATE_DATABASE_ENV, databaseUrlFor, stackState } from './stack-state';

export default async function globalSetup(): Promise<void> {
  if (process.env[TEMPLATE_DATABASE_ENV]) return; // the other project's setup already ran

  const baseUrl = loadConfig().databaseUrl;
  await ensurePostgres(baseUrl);
  const template = `backbone_test_template_${process.pid}_${Date.now()}`;
  const templateUrl = databaseUrlFor(baseUrl, template);
  await ensureDatabase(templateUrl);
  await migrate(templateUrl);
  process.env[TEMPLATE_DATABASE_ENV] = template;
  stackState.templateUrl = templateUrl;

  if (!process.env.TEST_KAFKA_BROKERS) {
    const broker = await startLocalKafka();
    process.env.TEST_KAFKA_BROKERS = broker.brokers.join(',');
    stackState.stopKafka = broker.stop;
    process.stdout.write(
      `\nlocal Kafka broker at ${broker.brokers[0]} started in ${broker.startedInMs} ms\n`,
    );
  }
}
