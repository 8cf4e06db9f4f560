import type { Logger } from 'pino';
import { sleepUnlessAborted } from '@backbone/database';
import type { ConsumerRunner } from '@backbone/messaging';

/**
 * One of the console's Kafka followers, started without holding up the application and retried
 * until it runs or the application stops: right after topics are created a broker may not lead
 * them yet, and the console's trouble must never keep the backbone itself from starting. A
 * half-done attempt is stopped before the next one.
 */
export class BackgroundConsumer {
  private runner?: ConsumerRunner;
  private readonly stopping = new AbortController();
  private starting?: Promise<void>;

  constructor(
    private readonly what: string,
    private readonly logger: Logger,
  ) {}

  /** Starts the runner `prepare` makes (once it has done what must come first), in the background. */
  start(prepare: () => Promise<ConsumerRunner>): void {
    this.starting = this.keepTrying(prepare);
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.starting;
    await this.stopRunner();
  }

  private async keepTrying(prepare: () => Promise<ConsumerRunner>): Promise<void> {
    const { signal } = this.stopping;
    for (let attempt = 1; !signal.aborted; attempt++) {
      try {
        this.runner = await prepare();
        await this.runner.start();
        return;
      } catch (error) {
        await this.stopRunner().catch(() => undefined);
        if (signal.aborted) return;
        this.logger.warn({ err: error, attempt }, `could not start the ${this.what} yet; retrying`);
        await sleepUnlessAborted(Math.min(500 * attempt, 10_000), signal);
      }
    }
  }

  private async stopRunner(): Promise<void> {
    const runner = this.runner;
    this.runner = undefined;
    await runner?.stop();
  }
}
