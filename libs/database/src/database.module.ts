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
      useFactory: (config: BackboneConfig): Pool => {
        const pool = new Pool({
          connectionString: config.databaseUrl,
          max: 20,
          application_name: 'referral-backbone',
        });
        // An idle connection can be cut (server restart, failover, an administrator): the pool
        // drops it and connects anew on demand. Unheard, the 'error' event would end the process.
        pool.on('error', (error) =>
          rootLogger.warn({ err: error }, 'idle PostgreSQL connection lost'),
        );
        return pool;
      },
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
