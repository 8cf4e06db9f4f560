import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { rootLogger } from '@backbone/observability';
import { ProblemDetails, ProblemException } from './problem';

/** Every error leaves the API as RFC 9457 problem details; faults are logged, never leaked. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    let body: ProblemDetails;
    if (exception instanceof ProblemException) {
      body = exception.problem;
    } else if (exception instanceof HttpException) {
      body = { type: 'about:blank', title: exception.message, status: exception.getStatus() };
    } else {
      rootLogger.error({ err: exception }, 'request failed');
      body = { type: 'about:blank', title: 'Internal Server Error', status: 500 };
    }
    response.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }
}
