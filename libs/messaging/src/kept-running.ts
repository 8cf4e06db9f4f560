import type { Consumer, ConsumerRunConfig } from 'kafkajs';
import type { Logger } from 'pino';

/** The pause before a consumer runs again after a crash kafkajs gave up on, doubling to the most. */
export const RESTART_DELAY_MS = { first: 1_000, most: 30_000 };

/**
 * Runs a consumer and keeps it running until `stop`. kafkajs restarts a consumer by itself only
 * after an error it counts as retriable; after any other (a group coordinator not found while a
 * restarted broker loads its groups, an error a handler threw that kafkajs does not retry) the
 * consumer stays stopped, and a service would go on without reading its topics, silently. Here
 * such a crash is logged and the consumer runs again after a pause that doubles while crashes
 * repeat and starts over once the consumer has joined its group again.
 */
export class KeptRunning {
  private stopped = false;
  private delayMs = RESTART_DELAY_MS.first;
  private pending?: NodeJS.Timeout;
  private readonly removeListeners: (() => void)[] = [];

  constructor(
    readonly consumer: Consumer,
    private readonly logger: Logger,
  ) {}

  /** Runs the consumer (kafkajs's `run`): connected and subscribed before. */
  async run(config: ConsumerRunConfig): Promise<void> {
    const { consumer } = this;
    this.removeListeners.push(
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (payload.restart || this.stopped) return;
        this.logger.error(
          { err: payload.error, groupId: payload.groupId, restartInMs: this.delayMs },
          'the consumer crashed on an error kafkajs does not restart from; running it again',
        );
        clearTimeout(this.pending);
        this.pending = setTimeout(() => this.runAgain(config), this.delayMs);
        this.delayMs = Math.min(RESTART_DELAY_MS.most, this.delayMs * 2);
      }),
      consumer.on(consumer.events.GROUP_JOIN, () => {
        this.delayMs = RESTART_DELAY_MS.first;
      }),
    );
    await consumer.run(config);
  }

  /** Stops it for good: no restart is pending afterwards, and the consumer is disconnected. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.pending);
    for (const remove of this.removeListeners.splice(0)) remove();
    await this.consumer.disconnect();
  }

  private runAgain(config: ConsumerRunConfig): void {
    this.pending = undefined;
    if (this.stopped) return;
    this.consumer.run(config).catch((error: unknown) => {
      this.logger.error({ err: error }, 'the consumer could not run again');
    });
  }
}
