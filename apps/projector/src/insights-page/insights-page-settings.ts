import type { WebSessionRealm } from '@backbone/http';

const DEFAULT_SESSION_MINUTES = '480';

/**
 * The directors' page's sessions: directors only, in the `insights_session` cookie, for
 * INSIGHTS_SESSION_MINUTES (default 480) after sign-in.
 */
export function insightsSessionRealm(env: NodeJS.ProcessEnv = process.env): WebSessionRealm {
  const raw = env.INSIGHTS_SESSION_MINUTES ?? DEFAULT_SESSION_MINUTES;
  const minutes = Number(raw);
  if (!Number.isInteger(minutes) || minutes < 1)
    throw new Error(`INSIGHTS_SESSION_MINUTES must be a positive integer, got "${raw}"`);
  return {
    name: 'insights',
    cookieName: 'insights_session',
    page: '/insights',
    principalKind: 'director',
    sessionMinutes: minutes,
  };
}
