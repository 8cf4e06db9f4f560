import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { Directory, PrincipalKind } from '@backbone/directory';
import { OperatorSessions } from './operator-sessions';
import { sessionTokenFrom } from './session-cookie';

export type OperatorAuthentication =
  | { kind: 'operator'; operatorId: string; via: 'session' | 'key' }
  /** No credentials, or ones that name nobody (an unknown key, an expired session). */
  | { kind: 'unauthenticated' }
  /** A valid key of someone who is not an operator: an agency, an auditor or a director. */
  | { kind: 'forbidden'; principalKind: PrincipalKind }
  /** A session cookie on a state-changing request from another origin. */
  | { kind: 'cross-origin' };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The origin the request was addressed to, as a browser on this page would name it. */
function ownOrigin(request: Request): string {
  const forwarded = request.headers['x-forwarded-proto'];
  const protocol = forwarded === 'https' ? 'https' : request.protocol;
  return `${protocol}://${request.headers.host ?? ''}`;
}

/**
 * Who is asking for the console or an operator API: an operator by session cookie or by bearer
 * key (scripts, Prometheus). A session rides in a cookie, so a state-changing request carrying
 * one must come from the console's own origin; SameSite=Strict already keeps other sites'
 * pages from sending it, and this is the second lock.
 */
@Injectable()
export class OperatorAuthenticator {
  constructor(
    private readonly sessions: OperatorSessions,
    private readonly directory: Directory,
  ) {}

  async authenticate(request: Request): Promise<OperatorAuthentication> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (bearer) {
      const principal = this.directory.authenticate(bearer[1]);
      if (!principal) return { kind: 'unauthenticated' };
      if (principal.kind !== 'operator')
        return { kind: 'forbidden', principalKind: principal.kind };
      return { kind: 'operator', operatorId: principal.id, via: 'key' };
    }
    const token = sessionTokenFrom(request.headers.cookie);
    const operatorId = token ? await this.sessions.operatorOf(token) : undefined;
    if (!operatorId) return { kind: 'unauthenticated' };
    const origin = request.headers.origin;
    if (!SAFE_METHODS.has(request.method) && origin !== undefined && origin !== ownOrigin(request))
      return { kind: 'cross-origin' };
    return { kind: 'operator', operatorId, via: 'session' };
  }
}
