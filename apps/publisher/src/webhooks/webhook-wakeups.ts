import { Injectable } from '@nestjs/common';

/**
 * In-process nudges between the webhook parts, so a new subscription or a queued delivery is
 * acted on at once rather than at the next poll. Only ever a shortcut: every part also polls,
 * and other instances learn of the same through PostgreSQL.
 */
@Injectable()
export class WebhookWakeups {
  private readonly queueWaiters = new Set<() => void>();
  private readonly sendWaiters = new Set<() => void>();
  /** A nudge given while nobody waited: kept for the next wait, which then returns at once. */
  private readonly missed = { queue: false, send: false };

  /** Something to queue (a subscription made, the directory changed). */
  queue(): void {
    this.wake('queue', this.queueWaiters);
  }

  /** Something to send (deliveries queued or re-driven, an attempt finished). */
  send(): void {
    this.wake('send', this.sendWaiters);
  }

  /** Resolves at the next `queue()` (or one missed since the last wait), on abort, or after `ms`. */
  nextQueue(signal: AbortSignal, ms: number): Promise<void> {
    return this.next('queue', this.queueWaiters, signal, ms);
  }

  /** Resolves at the next `send()` (or one missed since the last wait), on abort, or after `ms`. */
  nextSend(signal: AbortSignal, ms: number): Promise<void> {
    return this.next('send', this.sendWaiters, signal, ms);
  }

  private wake(kind: 'queue' | 'send', waiters: Set<() => void>): void {
    if (!waiters.size) this.missed[kind] = true;
    for (const wake of waiters) wake();
  }

  private next(
    kind: 'queue' | 'send',
    waiters: Set<() => void>,
    signal: AbortSignal,
    ms: number,
  ): Promise<void> {
    if (this.missed[kind]) {
      this.missed[kind] = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        waiters.delete(wake);
        signal.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      waiters.add(wake);
      signal.addEventListener('abort', wake, { once: true });
    });
  }
}
