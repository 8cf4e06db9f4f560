import type { PrincipalKind } from '@backbone/directory';

/**
 * One web page's sessions: who may sign in to it, the cookie that carries them, how long they
 * last. The ops console's realm is `ops` (operators), the insights page's `insights` (directors).
 * A module that serves a page provides its realm under WEB_SESSION_REALM, beside WebSessions,
 * SessionAuthenticator, WebSignIn and SessionRevocation, which then act for that realm only.
 */
export interface WebSessionRealm {
  /** Stored with each session, so that one realm's sign-outs and revocations leave the others. */
  name: string;
  cookieName: string;
  /** Where its principals sign in (`/ops`, `/insights`), as refusals name it. */
  page: string;
  /** The only kind of principal that may sign in, or use the realm's routes with a key. */
  principalKind: PrincipalKind;
  sessionMinutes: number;
}

export const WEB_SESSION_REALM = Symbol('WEB_SESSION_REALM');
