import type { INestApplication, Type } from '@nestjs/common';
import { BackboneConfig, DEFAULTS } from '@backbone/config';
import { migrate } from '@backbone/database';
import { loadDirectory } from '@backbone/directory';
import { createHttpApp } from '@backbone/http';
import { prepareTopics } from '@backbone/messaging';
import { rootLogger, setUpTracing } from '@backbone/observability';
import { PlatformModule } from './platform.module';

export interface StartOptions {
  /** Close the app on SIGINT/SIGTERM; off when the caller stops it itself. */
  handleSignals: boolean;
}

/**
 * Starts one backbone service: migrates the schema (node-pg-migrate holds a lock, so
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
  if (
    config.masterKey === DEFAULTS.BACKBONE_MASTER_KEY ||
    config.subjectIdKey === DEFAULTS.SUBJECT_ID_KEY
  ) {
    logger.warn(
      'using the public development keys (BACKBONE_MASTER_KEY, SUBJECT_ID_KEY): set secret ones outside development',
    );
  }
  await migrate(config.databaseUrl, (msg) => logger.debug(msg));
  const created = await prepareTopics(config, loadDirectory(config.directoryFile));
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
    rootLogger.fatal({ err: error }, `${name} failed to start`);
    process.exit(1);
  });
}
