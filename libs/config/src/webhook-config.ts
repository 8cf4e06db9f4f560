// How the backbone delivers webhooks (CONTRACT §8): retries, time limits, concurrency, the
// circuit breaker and what may be reached. Defaults are documented in the README ("HTTP push").

export interface WebhookConfig {
  /** Whether this instance sends deliveries at all (WEBHOOKS_ENABLED). */
  enabled: boolean;
  /** How long a delivery is retried after it was queued before it is parked. */
  retryWindowMs: number;
  /** The first retry's delay; each later one doubles it, with full jitter. */
  retryBaseMs: number;
  /** The longest delay between two attempts. */
  retryMaxDelayMs: number;
  /** One attempt's whole time: connect, send, and the receiver's answer. */
  attemptTimeoutMs: number;
  /** Attempts in flight at once to one endpoint, per instance. */
  concurrencyPerEndpoint: number;
  /** Consecutive failures of an endpoint that open its circuit. */
  breakerThreshold: number;
  /** How long an open circuit rests before one attempt probes the endpoint again. */
  breakerCooldownMs: number;
  /** How long a rotated-out secret still signs, beside the new one. */
  secretGraceMs: number;
  /** How often an instance looks for due deliveries without a wake-up. */
  pollMs: number;
  /** How long made deliveries stay in the delivery log. */
  logRetentionMs: number;
  /** Plain HTTP to loopback addresses (development receivers); never in production. */
  allowLoopback: boolean;
}

const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;

export const WEBHOOK_DEFAULTS = {
  WEBHOOKS_ENABLED: 'true',
  WEBHOOK_RETRY_WINDOW_MS: String(24 * HOUR_MS),
  WEBHOOK_RETRY_BASE_MS: '5000',
  WEBHOOK_RETRY_MAX_DELAY_MS: String(HOUR_MS),
  WEBHOOK_TIMEOUT_MS: '10000',
  WEBHOOK_CONCURRENCY_PER_ENDPOINT: '16',
  WEBHOOK_BREAKER_THRESHOLD: '5',
  WEBHOOK_BREAKER_COOLDOWN_MS: '30000',
  WEBHOOK_SECRET_GRACE_MS: String(24 * HOUR_MS),
  WEBHOOK_POLL_MS: '500',
  WEBHOOK_LOG_RETENTION_MS: String(7 * 24 * HOUR_MS),
} as const;

function atLeast(name: string, raw: string, min: number): number {
  const value = Number(raw.trim());
  if (raw.trim() === '' || !Number.isSafeInteger(value) || value < min)
    throw new Error(`${name} must be a whole number of at least ${min}, got "${raw}"`);
  return value;
}

function flag(name: string, raw: string): boolean {
  if (raw !== 'true' && raw !== 'false')
    throw new Error(`${name} must be true or false, got "${raw}"`);
  return raw === 'true';
}

/**
 * The webhook settings from the environment. Loopback receivers are allowed by default only in
 * development (WEBHOOK_ALLOW_LOOPBACK overrides).
 */
export function loadWebhookConfig(env: NodeJS.ProcessEnv, production: boolean): WebhookConfig {
  const read = (name: keyof typeof WEBHOOK_DEFAULTS): string => env[name] ?? WEBHOOK_DEFAULTS[name];
  return {
    enabled: flag('WEBHOOKS_ENABLED', read('WEBHOOKS_ENABLED')),
    retryWindowMs: atLeast('WEBHOOK_RETRY_WINDOW_MS', read('WEBHOOK_RETRY_WINDOW_MS'), 0),
    retryBaseMs: atLeast('WEBHOOK_RETRY_BASE_MS', read('WEBHOOK_RETRY_BASE_MS'), 1),
    retryMaxDelayMs: atLeast('WEBHOOK_RETRY_MAX_DELAY_MS', read('WEBHOOK_RETRY_MAX_DELAY_MS'), 1),
    attemptTimeoutMs: atLeast('WEBHOOK_TIMEOUT_MS', read('WEBHOOK_TIMEOUT_MS'), 100),
    concurrencyPerEndpoint: atLeast(
      'WEBHOOK_CONCURRENCY_PER_ENDPOINT',
      read('WEBHOOK_CONCURRENCY_PER_ENDPOINT'),
      1,
    ),
    breakerThreshold: atLeast('WEBHOOK_BREAKER_THRESHOLD', read('WEBHOOK_BREAKER_THRESHOLD'), 1),
    breakerCooldownMs: atLeast(
      'WEBHOOK_BREAKER_COOLDOWN_MS',
      read('WEBHOOK_BREAKER_COOLDOWN_MS'),
      0,
    ),
    secretGraceMs: atLeast('WEBHOOK_SECRET_GRACE_MS', read('WEBHOOK_SECRET_GRACE_MS'), 0),
    pollMs: atLeast('WEBHOOK_POLL_MS', read('WEBHOOK_POLL_MS'), 10),
    logRetentionMs: atLeast('WEBHOOK_LOG_RETENTION_MS', read('WEBHOOK_LOG_RETENTION_MS'), 1),
    allowLoopback: flag(
      'WEBHOOK_ALLOW_LOOPBACK',
      env.WEBHOOK_ALLOW_LOOPBACK ?? (production ? 'false' : 'true'),
    ),
  };
}
