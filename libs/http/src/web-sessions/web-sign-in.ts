import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { Directory, PrincipalKind, sha256Hex } from '@backbone/directory';
import { rootLogger } from '@backbone/observability';
import { fromAnotherOrigin, overHttps } from './request-origin';
import { SessionAuthenticator } from './session-authenticator';
import { clearedSessionCookie, sessionCookie } from './session-cookie';
import { WEB_SESSION_REALM, WebSessionRealm } from './web-session-realm';
import { WebSessions } from './web-sessions';

export type SignInResult =
  /** `setCookie`: the session cookie to set. */
  | { kind: 'signed-in'; principalId: string; setCookie: string }
  /** No key, or one nobody holds. */
  | { kind: 'unknown-key' }
  /** Another kind of principal's key. */
  | { kind: 'forbidden'; principalKind: PrincipalKind }
  /** A sign-in form posted from another site's page (login CSRF). */
  | { kind: 'cross-origin' };

export type SignOutResult =
  { kind: 'signed-out'; setCookie: string } | { kind: 'unauthenticated' } | { kind: 'forbidden' };

/**
 * Signing in to a realm's page with a key from the directory, and signing out. The key itself
 * is never kept: the session stores the directory's hash of it, so revoking the key ends it.
 */
@Injectable()
export class WebSignIn {
  private readonly logger = rootLogger.child({ component: 'web-sessions' });

  constructor(
    private readonly directory: Directory,
    private readonly sessions: WebSessions,
    private readonly authenticator: SessionAuthenticator,
    @Inject(WEB_SESSION_REALM) private readonly realm: WebSessionRealm,
  ) {}

  /** `given`: what the form's `key` field held, of whatever type a hostile form sends. */
  async signIn(request: Request, given: unknown): Promise<SignInResult> {
    if (fromAnotherOrigin(request)) return { kind: 'cross-origin' };
    const key = typeof given === 'string' ? given.trim() : '';
    const principal = key ? this.directory.authenticate(key) : undefined;
    if (!principal) return { kind: 'unknown-key' };
    if (principal.kind !== this.realm.principalKind) {
      this.logger.warn({ principal, realm: this.realm.name }, 'refused a sign-in: wrong kind');
      return { kind: 'forbidden', principalKind: principal.kind };
    }
    const token = await this.sessions.start(principal.id, sha256Hex(key));
    this.logger.info({ principal: principal.id, realm: this.realm.name }, 'signed in');
    const setCookie = sessionCookie(
      this.realm.cookieName,
      token,
      this.sessions.lifetimeSeconds,
      overHttps(request),
    );
    return { kind: 'signed-in', principalId: principal.id, setCookie };
  }

  /** Ends the session in the database too: a copied cookie stops working at once. */
  async signOut(request: Request): Promise<SignOutResult> {
    const result = await this.authenticator.authenticate(request);
    const token = this.authenticator.sessionToken(request);
    if (result.kind !== 'signed-in' || result.via !== 'session' || !token) {
      const forbidden = result.kind === 'forbidden' || result.kind === 'cross-origin';
      return { kind: forbidden ? 'forbidden' : 'unauthenticated' };
    }
    await this.sessions.end(token);
    return {
      kind: 'signed-out',
      setCookie: clearedSessionCookie(this.realm.cookieName, overHttps(request)),
    };
  }
}
