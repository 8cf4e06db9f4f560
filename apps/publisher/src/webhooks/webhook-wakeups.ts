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

  /** Something to queue (a subscription made, the directory changed). */
  queue(): void {
    for (const wake of this.queueWaiters) wake();
  }

  /** Something to send (deliveries queued or re-driven, an attempt finished). */
  send(): void {
    for (const wake of this.sendWaiters) wake();
  }

  /** Resolves at the next `queue()`, when `signal` aborts, or after `ms`. */
  nextQueue(signal: AbortSignal, ms: number): Promise<void> {
    return this.next(this.queueWaiters, signal, ms);
  }

  /** Resolves at the next `send()`, when `signal` aborts, or after `ms`. */
  nextSend(signal: AbortSignal, ms: number): Promise<void> {
    return this.next(this.sendWaiters, signal, ms);
  }

  private next(waiters: Set<() => void>, signal: AbortSignal, ms: number): Promise<void> {
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
