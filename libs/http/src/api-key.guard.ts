import {
  CanActivate,
  ExecutionContext,
  Injectable,
  SetMetadata,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DirectorPrincipal, Directory, Principal, PrincipalKind } from '@backbone/directory';
import { problem } from './problem';

const ALLOWED_KINDS = 'backbone:allowed-principal-kinds';

/** Which kinds of principal may call a route (agencies, auditors, operators, directors). */
export const AllowedPrincipals = (...kinds: PrincipalKind[]) => SetMetadata(ALLOWED_KINDS, kinds);

/**
 * The kinds a route behind ApiKeyGuard admits when it names none. Not directors: their keys are
 * for the insights of their own agencies, so they reach only routes that name `'director'`.
 */
export const ADMITTED_WITHOUT_ALLOWED_PRINCIPALS: readonly PrincipalKind[] = [
  'agency',
  'auditor',
  'operator',
];

type AuthenticatedRequest = Request & { principal?: Principal };

/** The principal the request's bearer key belongs to. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().principal as Principal,
);

/**
 * The calling director, with the agencies it may see (`agencies`), on a route with
 * `@AllowedPrincipals('director')`; anyone else is refused, should a route forget that.
 */
export const CurrentDirector = createParamDecorator(
  (_: unknown, context: ExecutionContext): DirectorPrincipal => {
    const { principal } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (principal?.kind !== 'director') {
      throw problem(403, 'Forbidden', 'this endpoint is open to directors only');
    }
    return principal;
  },
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
    const allowed =
      this.reflector.getAllAndOverride<PrincipalKind[] | undefined>(ALLOWED_KINDS, [
        context.getHandler(),
        context.getClass(),
      ]) ?? ADMITTED_WITHOUT_ALLOWED_PRINCIPALS;
    if (!allowed.includes(principal.kind)) {
      throw problem(403, 'Forbidden', `this endpoint is not open to ${principal.kind}s`);
    }
    request.principal = principal;
    return true;
  }
}
