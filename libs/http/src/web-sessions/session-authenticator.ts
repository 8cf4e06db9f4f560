import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { Directory, Principal, PrincipalKind } from '@backbone/directory';
import { fromAnotherOrigin } from './request-origin';
import { sessionTokenFrom } from './session-cookie';
import { WEB_SESSION_REALM, WebSessionRealm } from './web-session-realm';
import { WebSessions } from './web-sessions';

export type WebAuthentication =
  /** The realm's kind of principal, as the directory describes it now (a director's scope). */
  | { kind: 'signed-in'; principal: Principal; via: 'session' | 'key' }
  /** No credentials, or ones that name nobody (an unknown key, an expired or ended session). */
  | { kind: 'unauthenticated' }
  /** A valid key of another kind of principal than the realm's. */
  | { kind: 'forbidden'; principalKind: PrincipalKind }
  /** A session cookie on a state-changing request from another origin. */
  | { kind: 'cross-origin' };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who is asking for a realm's page or API: its kind of principal by session cookie or by bearer
 * key (scripts). A session rides in a cookie, so a state-changing request carrying one must come
 * from this server's own origin; SameSite=Strict already keeps other sites' pages from sending
 * it, and this is the second lock. The principal is looked up afresh on every request, so a
 * principal taken out of the directory, or a director whose scope changed, is seen at once.
 */
@Injectable()
export class SessionAuthenticator {
  constructor(
    private readonly sessions: WebSessions,
    private readonly directory: Directory,
    @Inject(WEB_SESSION_REALM) private readonly realm: WebSessionRealm,
  ) {}

  async authenticate(request: Request): Promise<WebAuthentication> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (bearer) {
      const principal = this.directory.authenticate(bearer[1]);
      if (!principal) return { kind: 'unauthenticated' };
      if (principal.kind !== this.realm.principalKind)
        return { kind: 'forbidden', principalKind: principal.kind };
      return { kind: 'signed-in', principal, via: 'key' };
    }
    const token = this.sessionToken(request);
    const principalId = token ? await this.sessions.principalIdOf(token) : undefined;
    const principal = principalId ? this.directory.principal(principalId) : undefined;
    if (!principal || principal.kind !== this.realm.principalKind)
      return { kind: 'unauthenticated' };
    if (!SAFE_METHODS.has(request.method) && fromAnotherOrigin(request))
      return { kind: 'cross-origin' };
    return { kind: 'signed-in', principal, via: 'session' };
  }

  sessionToken(request: Request): string | undefined {
    return sessionTokenFrom(request.headers.cookie, this.realm.cookieName);
  }
}
