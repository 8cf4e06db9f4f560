// Errors in FHIR's own shape: one OperationOutcome issue, with the HTTP status beside it.
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

export type IssueCode = OperationOutcomeIssue['code'];

/** The issue type each HTTP status of ours is reported with. */
const ISSUE_CODE_OF: Readonly<Record<number, IssueCode>> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  405: 'not-supported',
  406: 'not-supported',
  409: 'conflict',
  410: 'deleted',
  412: 'conflict',
  413: 'too-long',
  415: 'not-supported',
  422: 'invalid',
  503: 'transient',
};

export const issueCodeOf = (status: number): IssueCode =>
  ISSUE_CODE_OF[status] ?? (status >= 500 ? 'exception' : 'processing');

export function operationOutcome(
  status: number,
  diagnostics: string,
  expression?: string | readonly string[],
): OperationOutcome {
  const expressions = expression === undefined ? [] : [expression].flat();
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: status >= 500 ? 'fatal' : 'error',
        code: issueCodeOf(status),
        diagnostics,
        ...(expressions.length ? { expression: expressions } : {}),
      },
    ],
  };
}
