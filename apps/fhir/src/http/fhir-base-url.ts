import type { Request } from 'express';

/** The endpoint's base as the client reached it, for fullUrl and paging links. */
export const fhirBaseUrl = (request: Request): string =>
  `${request.protocol}://${request.get('host') ?? 'localhost'}/fhir`;
