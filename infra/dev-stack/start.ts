// `npm start [-- --fresh] [--seed]`: brings up what is not reachable (Kafka, PostgreSQL),
// migrates, creates topics, starts the all-in-one backbone and says where everything is.
// `--fresh` starts from an empty database and topics; `--seed` seeds a demo year meanwhile.
// Ctrl-C stops what it started.
import 'reflect-metadata';
import { loadConfig } from '@backbone/config';
import { ensureDatabase } from '@backbone/database';
import { DEMO_API_KEYS, loadDirectory } from '@backbone/directory';
import { rootLogger } from '@backbone/observability';
import { productionProblems } from '@backbone/platform';
import { startBackbone } from '@backbone/backbone';
import { localKafkaTls } from '../kafka/local-tls';
import { DemoSeeding, startDemoSeeding } from './demo-seeding';
import { LOCAL_CLUSTER_BROKERS, ensureKafka, ensureKafkaCluster } from './ensure-kafka';
import { deleteBackboneTopics, dropDevelopmentDatabase, freshRefusal } from './fresh-start';
import { ensurePostgres } from './ensure-postgres';
import { kafkaSecuritySummary } from './kafka-security-summary';
import { parseStartArgs } from './start-args';

const say = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

async function main(): Promise<void> {
  const options = parseStartArgs(process.argv.slice(2));
  // KAFKA_TLS=on without certificates of one's own: development ones for a local broker.
  const localTls = await localKafkaTls(
    process.env,
    loadDirectory(process.env.DIRECTORY_FILE || undefined)
      .agencies()
      .map((agency) => agency.id),
  );
  const env = {
    ...process.env,
    ...localTls?.settings,
    ...(options.cluster && { KAFKA_BROKERS: process.env.KAFKA_BROKERS || LOCAL_CLUSTER_BROKERS }),
  };
  const config = loadConfig(env);
  const logger = rootLogger.child({ component: 'npm-start' });
  const refusal = options.fresh ? freshRefusal(config) : undefined;
  if (refusal) throw new Error(refusal);

  const postgres = await ensurePostgres(config.databaseUrl);
  if (options.fresh) await dropDevelopmentDatabase(config);
  await ensureDatabase(config.databaseUrl);
  logger.info({ how: postgres }, 'PostgreSQL is up');

  if (options.cluster && (config.kafkaAuth.mode !== 'none' || config.kafkaTls.enabled)) {
    throw new Error('--cluster runs a PLAINTEXT cluster: unset KAFKA_AUTH and KAFKA_TLS');
  }
  const kafka = options.cluster
    ? await ensureKafkaCluster(config.kafkaBrokers, (line) => logger.debug({ broker: line }))
    : await ensureKafka(
        config.kafkaBrokers,
        (line) => logger.debug({ broker: line }),
        config.kafkaAuth,
        { config: config.kafkaTls, local: localTls?.broker },
      );
  logger.info({ how: kafka.how, startedInMs: kafka.startedInMs }, 'Kafka is up');
  if (options.fresh) {
    const agencies = loadDirectory(config.directoryFile)
      .agencies()
      .map((agency) => agency.id);
    const deleted = await deleteBackboneTopics(config, agencies);
    say(`--fresh: dropped the database and deleted ${deleted.length} topics`);
  }

  // The seeder first: it holds the deadline watcher's lock before the backbone's watcher looks.
  let seeding: DemoSeeding | undefined;
  try {
    seeding = options.seed ? await startDemoSeeding(env) : undefined;
  } catch (error) {
    await kafka.stop();
    throw error;
  }
  const app = await startBackbone(config, { handleSignals: false }).catch(async (error) => {
    // A backbone that could not start (a port taken, say) leaves nothing of its own running.
    seeding?.stop();
    await kafka.stop();
    throw error;
  });
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say(
      `\n${signal}: stopping the backbone${kafka.how === 'local-jars' ? ' and the Kafka broker it started' : ''}…`,
    );
    seeding?.stop();
    await app.close();
    await kafka.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const http = `http://${config.httpHost}:${config.httpPort}`;
  say();
  say('Referral Backbone is up.');
  say(`  HTTP API        ${http}   (health: ${http}/health)`);
  say(`  Ops console     ${http}/ops   (an operator's key)`);
  say(`  Insights page   ${http}/insights   (a director's key)`);
  say(`  Kafka bootstrap ${config.kafkaBrokers.join(',')}   (${kafka.how})`);
  say(
    `  PostgreSQL      ${new URL(config.databaseUrl).host}${new URL(config.databaseUrl).pathname}   (${postgres})`,
  );
  const kafkaSecurity = kafkaSecuritySummary(
    config,
    loadDirectory(config.directoryFile)
      .agencies()
      .map((agency) => agency.id),
    localTls,
  );
  if (kafkaSecurity.length) say();
  for (const line of kafkaSecurity) say(line);
  if (!config.directoryFile) {
    say();
    say('Demo directory: API keys (send as "Authorization: Bearer <key>"):');
    for (const [id, key] of Object.entries(DEMO_API_KEYS)) say(`  ${id.padEnd(30)} ${key}`);
    say();
    say('Try it:');
    say(
      `  curl -H "Authorization: Bearer ${DEMO_API_KEYS['randers-social']}" ${http}/v1/agencies/randers-social/inbox`,
    );
  }
  if (config.environment === 'development') {
    say();
    say('DEVELOPMENT MODE: public keys and settings; never give this backbone real personal data.');
    for (const { setting, problem } of productionProblems(
      config,
      loadDirectory(config.directoryFile),
    ))
      say(`  ${setting} ${problem}`);
    say(
      '  A service started on its own (npm run start:backbone) refuses these: see README, Configuration.',
    );
  }
  say();
  say('Ctrl-C stops everything this command started.');
  if (seeding) {
    say();
    say(
      'Seeding a demo year of cooperation (npm run demo:seed); the backbone follows it as it goes…',
    );
    void seeding.ended.then((code) =>
      say(
        code === 0
          ? `Demo year seeded. As a director: curl -H "Authorization: Bearer ${DEMO_API_KEYS['demo-randers-director']}" ${http}/v1/insights/flows`
          : `Demo seeding failed (exit ${code}): see its message above.`,
      ),
    );
  }
}

main().catch((error: unknown) => {
  rootLogger.fatal({ err: error }, 'npm start failed');
  process.exit(1);
});
