import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from '@backbone/directory';
import { SessionAuthenticator, problem } from '@backbone/http';

/**
 * Directors only, by bearer key (scripts) or by the insights page's session (its scripts call
 * the API on the same origin): `401` without either, `403` for any other principal's key. Sets
 * the principal `@CurrentDirector()` reads, with the scope the directory gives it now.
 */
@Injectable()
export class DirectorAuthGuard implements CanActivate {
  constructor(private readonly authenticator: SessionAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const result = await this.authenticator.authenticate(request);
    switch (result.kind) {
      case 'signed-in':
        request.principal = result.principal;
        return true;
      case 'unauthenticated':
        throw problem(
          401,
          'Unauthorized',
          'send Authorization: Bearer <your API key>, or sign in at /insights',
        );
      case 'forbidden':
        throw problem(403, 'Forbidden', `this endpoint is not open to ${result.principalKind}s`);
      case 'cross-origin':
        throw problem(403, 'Forbidden', 'a page session acts only from its own page');
    }
  }
}
