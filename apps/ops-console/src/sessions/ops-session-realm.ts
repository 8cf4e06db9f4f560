import type { WebSessionRealm } from '@backbone/http';
import type { OpsConsoleSettings } from '../ops-console-settings';

/** The console's sessions: operators only, in the `ops_session` cookie. */
export const opsSessionRealm = (settings: OpsConsoleSettings): WebSessionRealm => ({
  name: 'ops',
  cookieName: 'ops_session',
  page: '/ops',
  principalKind: 'operator',
  sessionMinutes: settings.sessionMinutes,
});
