import {
  CallHandler,
  ExecutionContext,
  HttpException,
  Injectable,
  NestInterceptor,
  SetMetadata,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Observable, defer, lastValueFrom } from 'rxjs';
import type { AuditOperation } from '@backbone/contracts';
import type { Principal } from '@backbone/directory';
import { AccessRecorder } from './access-recorder';
import { AuditAccess } from './audit-access';
import { parsePurpose } from './audit-purpose';

const OPERATION = 'backbone:audit-operation';

/** Names the audit operation a route performs, as `audit.accessed.v1` records it. */
export const AuditedAs = (operation: AuditOperation) => SetMetadata(OPERATION, operation);

type AuditRequest = Request & { principal?: Principal; auditAccess?: AuditAccess };

/** The request's access note, for the handler to say what it read and disclosed. */
export const Access = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuditAccess =>
    context.switchToHttp().getRequest<AuditRequest>().auditAccess as AuditAccess,
);

const statusOf = (error: unknown): number =>
  error instanceof HttpException ? error.getStatus() : 500;

/**
 * The audit of the audit. Runs after ApiKeyGuard (so only auditors get here): refuses a request
 * without a purpose before anything is read, then sees that exactly one `audit.accessed.v1` is
 * recorded for every request it let through, whatever its answer (200, 404, or a failure; see
 * audit-access.ts for when). The record is written before the answer leaves: when it cannot be
 * written, the answer is withheld.
 */
@Injectable()
export class AuditAccessInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly recorder: AccessRecorder,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return defer(() => this.answer(context, next));
  }

  private async answer(context: ExecutionContext, next: CallHandler): Promise<unknown> {
    const request = context.switchToHttp().getRequest<AuditRequest>();
    const operation = this.reflector.get<AuditOperation | undefined>(
      OPERATION,
      context.getHandler(),
    );
    if (!operation || !request.principal) {
      throw new Error(`${context.getClass().name}.${context.getHandler().name} is not audited`);
    }
    const access = new AuditAccess(
      request.principal.id,
      parsePurpose(request.query.purpose),
      operation,
      request.path,
      (note, data) => this.recorder.record(note, data),
    );
    request.auditAccess = access;
    let answer: unknown;
    let failure: { error: unknown } | undefined;
    try {
      answer = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error) {
      failure = { error };
    }
    await access.settle(failure ? statusOf(failure.error) : 200);
    if (failure) throw failure.error;
    return answer;
  }
}
