import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from '@backbone/directory';
import { problem } from '../problem';
import { SessionAuthenticator } from './session-authenticator';
import { WEB_SESSION_REALM, WebSessionRealm } from './web-session-realm';

/**
 * The realm's kind of principal only, by the page's session or by bearer key (scripts): `401`
 * without either, `403` for any other principal's key or for a session cookie on a
 * state-changing request from another origin. Sets the principal the route's parameter
 * decorator reads, with what the directory says of it now (a director's scope).
 */
@Injectable()
export class SessionAuthGuard implements CanActivate {
  constructor(
    private readonly authenticator: SessionAuthenticator,
    @Inject(WEB_SESSION_REALM) private readonly realm: WebSessionRealm,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const result = await this.authenticator.authenticate(request);
    const { page, principalKind } = this.realm;
    switch (result.kind) {
      case 'signed-in':
        request.principal = result.principal;
        return true;
      case 'unauthenticated':
        throw problem(
          401,
          'Unauthorized',
          `sign in at ${page}, or send Authorization: Bearer <your ${principalKind} key>`,
        );
      case 'forbidden':
        throw problem(403, 'Forbidden', `${page} is not open to ${result.principalKind}s`);
      case 'cross-origin':
        throw problem(403, 'Forbidden', `a session of ${page} acts only from ${page} itself`);
    }
  }
}
