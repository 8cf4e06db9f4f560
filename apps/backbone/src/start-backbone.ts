import type { INestApplication } from '@nestjs/common';
import { BackboneConfig } from '@backbone/config';
import { migrate } from '@backbone/database';
import { loadDirectory } from '@backbone/directory';
import { createHttpApp } from '@backbone/http';
import { prepareTopics } from '@backbone/messaging';
import { rootLogger } from '@backbone/observability';
import { BackboneModule } from './backbone.module';

/** Migrates the schema, creates missing topics, then starts the all-in-one process. */
export async function startBackbone(
  config: BackboneConfig,
  options: { handleSignals: boolean } = { handleSignals: true },
): Promise<INestApplication> {
  const logger = rootLogger.child({ component: 'startup' });
  await migrate(config.databaseUrl, (msg) => logger.debug(msg));
  const created = await prepareTopics(config, loadDirectory(config.directoryFile));
  if (created.length) logger.info({ topics: created.length }, 'created Kafka topics');
  const app = await createHttpApp(BackboneModule.forRoot(config), options);
  await app.listen(config.httpPort, config.httpHost);
  return app;
}
