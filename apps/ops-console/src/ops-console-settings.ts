// The ops console's own settings, from environment variables with documented defaults
// (README, Configuration).

export interface OpsConsoleSettings {
  /** How long a console session lasts after sign-in (OPS_SESSION_MINUTES, default 480). */
  sessionMinutes: number;
  /** Dead letters that may be re-driven per minute, across all instances (OPS_REDRIVE_PER_MINUTE, default 60). */
  redrivePerMinute: number;
  /** How often consumer-group offsets are sampled for lag (OPS_LAG_SAMPLE_MS, default 5000). */
  lagSampleMs: number;
}

export const OPS_CONSOLE_SETTINGS = Symbol('OPS_CONSOLE_SETTINGS');

const DEFAULTS = {
  OPS_SESSION_MINUTES: '480',
  OPS_REDRIVE_PER_MINUTE: '60',
  OPS_LAG_SAMPLE_MS: '5000',
} as const;

function positive(name: keyof typeof DEFAULTS, env: NodeJS.ProcessEnv): number {
  const raw = env[name] ?? DEFAULTS[name];
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  }
  return value;
}

export function loadOpsConsoleSettings(env: NodeJS.ProcessEnv = process.env): OpsConsoleSettings {
  return {
    sessionMinutes: positive('OPS_SESSION_MINUTES', env),
    redrivePerMinute: positive('OPS_REDRIVE_PER_MINUTE', env),
    lagSampleMs: positive('OPS_LAG_SAMPLE_MS', env),
  };
}
