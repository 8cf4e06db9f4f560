import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { runWhileLeader } from './leader-lock';

/**
 * A background service that must run on one instance at a time across all processes (the
 * publisher, the deadline watcher): it starts with the application, works while it holds its
 * advisory lock, and stops cleanly with the application.
 */
export abstract class SingleActiveInstance
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly stopping = new AbortController();
  private running?: Promise<void>;

  protected abstract readonly lockKey: string;
  protected abstract readonly logger: Logger;

  protected constructor(protected readonly pool: Pool) {}

  /** The work, for as long as `signal` does not abort (lock lost or application stopping). */
  protected abstract runWhileActive(signal: AbortSignal): Promise<void>;

  onApplicationBootstrap(): void {
    this.running = runWhileLeader(
      this.pool,
      { lockKey: this.lockKey, signal: this.stopping.signal, logger: this.logger },
      (signal) => this.runWhileActive(signal),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }
}
