import type { WebhookConfig } from '@backbone/config';

export type RetrySchedule = Pick<
  WebhookConfig,
  'retryWindowMs' | 'retryBaseMs' | 'retryMaxDelayMs'
>;

/**
 * When a failed delivery is tried again, or `undefined` when it is to be parked: exponential
 * back-off with full jitter (a random delay up to base·2^(attempts-1), capped), so that many
 * deliveries failing together do not come back together. A retry that would fall after the
 * window closes is not scheduled; the window counts from when the delivery was queued.
 */
export function nextAttemptAt(
  schedule: RetrySchedule,
  attempts: number,
  queuedAt: Date,
  now: Date,
  random: () => number = Math.random,
): Date | undefined {
  const ceiling = Math.min(
    schedule.retryMaxDelayMs,
    schedule.retryBaseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 40),
  );
  // Never less than a tenth of the ceiling: a zero delay would retry a failing receiver at once.
  const delay = ceiling / 10 + random() * ceiling * 0.9;
  const at = new Date(now.getTime() + Math.round(delay));
  const closes = queuedAt.getTime() + schedule.retryWindowMs;
  return at.getTime() > closes ? undefined : at;
}
