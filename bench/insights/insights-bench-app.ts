import type { INestApplication, Provider } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { BackboneConfig, ConfigModule } from '@backbone/config';
import { DatabaseModule } from '@backbone/database';
import { DirectoryModule } from '@backbone/directory';
import { EventStoreModule } from '@backbone/event-store';
import { createHttpApp } from '@backbone/http';
import { ProjectorModule } from '@backbone/projector';
import { InsightsPageModule } from '../../apps/projector/src/insights-page/insights-page.module';
import { InsightsHttpController } from '../../apps/projector/src/queries/insights.http.controller';

/**
 * The projector's insights route over HTTP on the providers its module declares (the query
 * classes), the pools, the directory and the store (for `?asOf=`, not asked here). The module's
 * one factory provider, its Kafka consumer, serves no query: left out, so the figures are the
 * route's own and no broker is needed.
 */
export async function startInsightsApi(config: BackboneConfig): Promise<INestApplication> {
  const declared = Reflect.getMetadata(MODULE_METADATA.PROVIDERS, ProjectorModule) as Provider[];
  @Module({
    // The page's module brings the guard of the insights routes (directors' keys or sessions).
    imports: [
      ConfigModule.forRoot(config),
      DatabaseModule,
      DirectoryModule,
      EventStoreModule,
      InsightsPageModule,
    ],
    controllers: [InsightsHttpController],
    providers: declared.filter((provider) => typeof provider === 'function'),
  })
  class InsightsBenchModule {}
  const app = await createHttpApp({ module: InsightsBenchModule }, { handleSignals: false });
  await app.listen(0, '127.0.0.1');
  return app;
}
