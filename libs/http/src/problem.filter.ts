import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { isTransientFault } from '@backbone/database';
import { rootLogger } from '@backbone/observability';
import { ProblemDetails, ProblemException } from './problem';

/** What body-parser throws for a body it will not read: an HTTP status and its own type. */
interface BodyParserError {
  status: number;
  type: string;
}

const isBodyParserError = (error: unknown): error is BodyParserError =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as Partial<BodyParserError>).status === 'number' &&
  typeof (error as Partial<BodyParserError>).type === 'string' &&
  (error as BodyParserError).status >= 400 &&
  (error as BodyParserError).status < 500;

/** A body refused before any handler saw it, as the contract's problem (CONTRACT §6-7). */
function refusedBody(error: BodyParserError): ProblemDetails {
  if (error.status === 413) {
    return {
      type: 'about:blank',
      title: 'Payload Too Large',
      status: 413,
      detail: 'the request body is over the size limit',
      code: 'TOO_LARGE',
    };
  }
  return {
    type: 'about:blank',
    title: 'Bad Request',
    status: error.status,
    detail: 'the request body could not be read',
    code: 'MALFORMED',
  };
}

/**
 * Every error leaves the API as RFC 9457 problem details; faults are logged, never leaked. A
 * fault of the database or broker is `503` (try again); only a fault of the backbone is `500`.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    let body: ProblemDetails;
    if (exception instanceof ProblemException) {
      body = exception.problem;
    } else if (exception instanceof HttpException) {
      body = { type: 'about:blank', title: exception.message, status: exception.getStatus() };
    } else if (isBodyParserError(exception)) {
      body = refusedBody(exception);
    } else if (isTransientFault(exception)) {
      rootLogger.warn({ err: exception }, 'request failed on a transient fault');
      body = { type: 'about:blank', title: 'Service Unavailable', status: 503 };
      response.setHeader('Retry-After', '1');
    } else {
      rootLogger.error({ err: exception }, 'request failed');
      body = { type: 'about:blank', title: 'Internal Server Error', status: 500 };
    }
    if (body.status === 429 && !response.getHeader('Retry-After')) {
      const seconds = body.retryAfterSeconds;
      response.setHeader('Retry-After', String(typeof seconds === 'number' ? seconds : 1));
    }
    response.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }
}
