import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Pool, PoolConfig } from 'pg';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { rootLogger } from '@backbone/observability';

/**
 * A second, small pool whose connections pipeline (node-postgres's `pipeline` option, which its
 * typings do not know yet): statements issued without waiting for one another go to PostgreSQL
 * together and cost one round trip between them. Kept apart because a pipelining connection
 * refuses what holds a portal open across round trips (cursors, COPY streams).
 */
export const PIPELINED_POOL = Symbol('PIPELINED_POOL');

/** Transactions at once: command groups and projector groups, two of each in flight. */
const PIPELINED_CONNECTIONS = 4;

/** A pool whose connections pipeline; also for tests that build a consumer by hand. */
export function createPipelinedPool(databaseUrl: string, max = PIPELINED_CONNECTIONS): Pool {
  return createPool(databaseUrl, { max, pipeline: true });
}

function createPool(databaseUrl: string, options: PoolConfig & { pipeline?: boolean }): Pool {
  const pool = new Pool({
    connectionString: databaseUrl,
    application_name: 'referral-backbone',
    // The services' statements are all short. PostgreSQL's JIT compiles a plan it costs high
    // (about 100 ms of CPU each time it runs), and the planner misjudged the checkpoint-lag
    // gauges that way: every metrics scrape and health check paid 100-300 ms for queries that
    // run in under a millisecond.
    options: '-c jit=off',
    ...options,
  });
  // A connection can be cut (server restart, failover, an administrator): the pool drops it and
  // connects anew on demand. Unheard, the 'error' event would end the process. The pool hears it
  // only while a connection is idle; a checked-out one (in a transaction, holding a lock) gets a
  // listener of its own, and its next query fails instead.
  pool.on('error', (error) => rootLogger.warn({ err: error }, 'idle PostgreSQL connection lost'));
  pool.on('connect', (client) =>
    client.on('error', (error) =>
      rootLogger.warn({ err: error }, 'PostgreSQL connection lost while in use'),
    ),
  );
  return pool;
}

/** The process's connection pools, closed when the application shuts down. */
@Global()
@Module({
  providers: [
    {
      provide: Pool,
      inject: [BACKBONE_CONFIG],
      useFactory: (config: BackboneConfig): Pool => createPool(config.databaseUrl, { max: 20 }),
    },
    {
      provide: PIPELINED_POOL,
      inject: [BACKBONE_CONFIG],
      useFactory: (config: BackboneConfig): Pool => createPipelinedPool(config.databaseUrl),
    },
  ],
  exports: [Pool, PIPELINED_POOL],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    @Inject(Pool) private readonly pool: Pool,
    @Inject(PIPELINED_POOL) private readonly pipelinedPool: Pool,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.pool.end(), this.pipelinedPool.end()]);
  }
}
