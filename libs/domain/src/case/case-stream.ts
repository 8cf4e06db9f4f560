/** Every case's events live in the stream `case-<caseId>`. */
export const caseStreamId = (caseId: string): string => `case-${caseId}`;
