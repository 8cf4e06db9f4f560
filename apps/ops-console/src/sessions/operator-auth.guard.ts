import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from '@backbone/directory';
import { SessionAuthenticator, problem } from '@backbone/http';

/**
 * Operators only, by console session or bearer key: `401` without either, `403` for an agency's,
 * an auditor's or a director's key. Sets the principal `@CurrentPrincipal()` reads.
 */
@Injectable()
export class OperatorAuthGuard implements CanActivate {
  constructor(private readonly authenticator: SessionAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const result = await this.authenticator.authenticate(request);
    switch (result.kind) {
      case 'signed-in':
        request.principal = result.principal;
        return true;
      case 'unauthenticated':
        throw problem(401, 'Unauthorized', 'sign in to the ops console, or send an operator key');
      case 'forbidden':
        throw problem(403, 'Forbidden', `the ops console is not open to ${result.principalKind}s`);
      case 'cross-origin':
        throw problem(403, 'Forbidden', 'a console session acts only from the console itself');
    }
  }
}
