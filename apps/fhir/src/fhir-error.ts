/** A refusal the FHIR endpoint answers with an OperationOutcome and this HTTP status. */
export class FhirError extends Error {
  constructor(
    readonly status: number,
    readonly diagnostics: string,
    /** The FHIR paths or search parameter at fault, for OperationOutcome.issue.expression. */
    readonly expression?: string | readonly string[],
  ) {
    super(diagnostics);
  }
}
