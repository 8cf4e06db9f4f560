import { Controller, Get, Header, Req, UseFilters } from '@nestjs/common';
import type { Request } from 'express';
import type { CapabilityStatement } from '@medplum/fhirtypes';
import { capabilityStatement } from '../mapping/capability-statement';
import { fhirBaseUrl } from './fhir-base-url';
import { FHIR_JSON } from './fhir-json';
import { OperationOutcomeFilter } from './operation-outcome.filter';

/**
 * The CapabilityStatement, open without a key as FHIR clients expect: it says what the endpoint
 * does, nothing about any agency or referral.
 */
@Controller('fhir')
@UseFilters(OperationOutcomeFilter)
export class FhirMetadataHttpController {
  @Get('metadata')
  @Header('Content-Type', FHIR_JSON)
  metadata(@Req() request: Request): CapabilityStatement {
    return capabilityStatement(fhirBaseUrl(request));
  }
}
