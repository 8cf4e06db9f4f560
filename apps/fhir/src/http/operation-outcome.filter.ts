import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { isTransientFault } from '@backbone/database';
import { ProblemException } from '@backbone/http';
import { rootLogger } from '@backbone/observability';
import { FhirError } from '../fhir-error';
import { operationOutcome } from '../mapping/operation-outcome';
import { FHIR_JSON } from './fhir-json';

/**
 * Every error under /fhir as an OperationOutcome, including the API key guard's 401 and 403;
 * faults are logged, never leaked, and a fault of the database is 503 (try again).
 */
@Catch()
export class OperationOutcomeFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    let status: number;
    let diagnostics: string;
    let expression: string | readonly string[] | undefined;
    if (exception instanceof FhirError) {
      ({ status, diagnostics, expression } = exception);
    } else if (exception instanceof ProblemException) {
      status = exception.problem.status;
      diagnostics = exception.problem.detail ?? exception.problem.title;
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      diagnostics = exception.message;
    } else if (isTransientFault(exception)) {
      rootLogger.warn({ err: exception }, 'FHIR request failed on a transient fault');
      status = 503;
      diagnostics = 'the backbone cannot answer just now; try again';
      response.setHeader('Retry-After', '1');
    } else {
      rootLogger.error({ err: exception }, 'FHIR request failed');
      status = 500;
      diagnostics = 'the backbone failed to answer';
    }
    response
      .status(status)
      .type(FHIR_JSON)
      .send(JSON.stringify(operationOutcome(status, diagnostics, expression)));
  }
}
