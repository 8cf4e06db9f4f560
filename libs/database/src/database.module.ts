import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { rootLogger } from '@backbone/observability';

/** One connection pool per process, closed when the application shuts down. */
@Global()
@Module({
  providers: [
    {
      provide: Pool,
      inject: [BACKBONE_CONFIG],
      useFactory: (config: BackboneConfig): Pool =>
        new Pool({
          connectionString: config.databaseUrl,
          max: 10,
          application_name: 'referral-backbone',
        }),
    },
  ],
  exports: [Pool],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(Pool) private readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
