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
        // A connection can be cut (server restart, failover, an administrator): the pool drops
        // it and connects anew on demand. Unheard, the 'error' event would end the process. The
        // pool hears it only while a connection is idle; a checked-out one (in a transaction,
        // holding a lock) gets a listener of its own, and its next query fails instead.
        pool.on('error', (error) =>
          rootLogger.warn({ err: error }, 'idle PostgreSQL connection lost'),
        );
        pool.on('connect', (client) =>
          client.on('error', (error) =>
            rootLogger.warn({ err: error }, 'PostgreSQL connection lost while in use'),
          ),
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
