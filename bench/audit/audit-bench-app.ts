import type { INestApplication } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { AuditModule } from '@backbone/audit';
import { BackboneConfig, ConfigModule } from '@backbone/config';
import { DataProtectionModule } from '@backbone/data-protection';
import { DatabaseModule } from '@backbone/database';
import { DirectoryModule } from '@backbone/directory';
import { EventStoreModule } from '@backbone/event-store';
import { createHttpApp } from '@backbone/http';

/**
 * The audit API alone over HTTP, on what it needs: the store, the subject keys, the directory.
 * No Kafka: the audit module reads only PostgreSQL, so the figures are its own.
 */
export async function startAuditApi(config: BackboneConfig): Promise<INestApplication> {
  @Module({
    imports: [
      ConfigModule.forRoot(config),
      DatabaseModule,
      DataProtectionModule,
      DirectoryModule,
      EventStoreModule,
      AuditModule,
    ],
  })
  class AuditBenchModule {}
  const app = await createHttpApp({ module: AuditBenchModule }, { handleSignals: false });
  await app.listen(0, '127.0.0.1');
  return app;
}
