import { All, Controller, Req, UseFilters } from '@nestjs/common';
import type { Request } from 'express';
import { FhirError } from '../fhir-error';
import { OperationOutcomeFilter } from './operation-outcome.filter';

/** Anything else under /fhir (another resource type, a write) as an OperationOutcome. */
@Controller('fhir')
@UseFilters(OperationOutcomeFilter)
export class FhirUnknownRouteHttpController {
  @All('*path')
  unknown(@Req() request: Request): never {
    if (request.method === 'GET') {
      throw new FhirError(404, `${request.path} is not served: see /fhir/metadata`);
    }
    throw new FhirError(405, `${request.method} is not supported here yet: /fhir is read-only`);
  }
}
