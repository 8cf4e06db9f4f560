import type { INestApplication, Type } from '@nestjs/common';
import type { BackboneConfig } from '@backbone/config';
import { migrate } from '@backbone/database';
import { loadDirectory } from '@backbone/directory';
import { createHttpApp } from '@backbone/http';
import { prepareTopics } from '@backbone/messaging';
import { rootLogger, setUpTracing } from '@backbone/observability';
import { PlatformModule } from './platform.module';
import { NotReadyForProductionError, productionProblems } from './production-readiness';

export interface StartOptions {
  /** Close the app on SIGINT/SIGTERM; off when the caller stops it itself. */
  handleSignals: boolean;
}

/**
 * Starts one backbone service: migrates the schema (instances take turns on a lock, so
 * instances starting together are safe), creates missing topics, then serves HTTP.
 */
export async function startService(
  name: string,
  config: BackboneConfig,
  features: Type[],
  options: StartOptions = { handleSignals: true },
): Promise<INestApplication> {
  const logger = rootLogger.child({ component: 'startup', service: name });
  setUpTracing();
  const directory = loadDirectory(config.directoryFile);
  const problems = productionProblems(config, directory);
  if (config.environment === 'production' && problems.length)
    throw new NotReadyForProductionError(problems);
  if (config.environment === 'development')
    logger.warn(
      { notFitForProduction: problems.map(({ setting, problem }) => `${setting} ${problem}`) },
      'DEVELOPMENT MODE (BACKBONE_ENV=development): never give this backbone real personal data',
    );
  await migrate(config.databaseUrl, (msg) => logger.debug(msg));
  const created = await prepareTopics(config, directory);
  if (created.length) logger.info({ topics: created.length }, 'created Kafka topics');
  const app = await createHttpApp(PlatformModule.forRoot(config, features), options);
  try {
    await app.listen(config.httpPort, config.httpHost);
  } catch (error) {
    // Its consumers, producers and locks are running already: stop them before giving up, or
    // they outlive the failed start (and log their retries against a broker that is gone).
    await app.close().catch((closing: unknown) => {
      logger.warn({ err: closing }, 'could not close what had started');
    });
    throw error;
  }
  logger.info({ url: await app.getUrl() }, `${name} is up`);
  return app;
}

/** The `main` of a service: start it, or log why it could not start and exit non-zero. */
export function runService(name: string, config: BackboneConfig, features: Type[]): void {
  startService(name, config, features).catch((error: unknown) => {
    if (error instanceof NotReadyForProductionError) {
      // Read by a person fixing settings: its lines as they are on stderr, and logged as well.
      process.stderr.write(`${error.message}\n`);
      rootLogger.fatal({ problems: error.problems }, `${name} is not ready for production`);
    } else rootLogger.fatal({ err: error }, `${name} failed to start`);
    process.exit(1);
  });
}
