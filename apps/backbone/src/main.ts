import 'reflect-metadata';
import { loadConfig } from '@backbone/config';
import { rootLogger } from '@backbone/observability';
import { startBackbone } from './start-backbone';

// The all-in-one process against Kafka and PostgreSQL that are already running
// (`npm start` brings those up first; see infra/dev-stack/start.ts).
startBackbone(loadConfig())
  .then(async (app) => rootLogger.info({ url: await app.getUrl() }, 'referral backbone is up'))
  .catch((error: unknown) => {
    rootLogger.fatal({ err: error }, 'referral backbone failed to start');
    process.exit(1);
  });
