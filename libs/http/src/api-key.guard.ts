import {
  CanActivate,
  ExecutionContext,
  Injectable,
  SetMetadata,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Directory, Principal, PrincipalKind } from '@backbone/directory';
import { problem } from './problem';

const ALLOWED_KINDS = 'backbone:allowed-principal-kinds';

/** Which kinds of principal may call a route (agencies, auditors, operators). */
export const AllowedPrincipals = (...kinds: PrincipalKind[]) => SetMetadata(ALLOWED_KINDS, kinds);

type AuthenticatedRequest = Request & { principal?: Principal };

/** The principal the request's bearer key belongs to. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().principal as Principal,
);

/** Finds the caller by the SHA-256 of its `Authorization: Bearer <key>` (CONTRACT §1). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly directory: Directory,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match ? this.directory.authenticate(match[1]) : undefined;
    if (!principal) {
      throw problem(401, 'Unauthorized', 'send Authorization: Bearer <your API key>');
    }
    const allowed = this.reflector.getAllAndOverride<PrincipalKind[] | undefined>(ALLOWED_KINDS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (allowed && !allowed.includes(principal.kind)) {
      throw problem(403, 'Forbidden', `this endpoint is not open to ${principal.kind}s`);
    }
    request.principal = principal;
    return true;
  }
}
