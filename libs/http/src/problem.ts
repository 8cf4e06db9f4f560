import { HttpException } from '@nestjs/common';

/** An RFC 9457 problem details body, with the contract's rejection code where there is one. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  [extension: string]: unknown;
}

/** Throw to answer with `application/problem+json`. */
export class ProblemException extends HttpException {
  constructor(readonly problem: ProblemDetails) {
    super(problem, problem.status);
  }
}

export const problem = (
  status: number,
  title: string,
  detail?: string,
  extra: Record<string, unknown> = {},
) =>
  new ProblemException({
    type: 'about:blank',
    title,
    status,
    ...(detail ? { detail } : {}),
    ...extra,
  });
