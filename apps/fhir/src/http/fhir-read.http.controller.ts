import { Controller, Get, Header, Param, Query, Req, UseFilters, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import type {
  Bundle,
  Consent,
  Organization,
  Patient,
  ServiceRequest,
  Task,
} from '@medplum/fhirtypes';
import { Directory, type Principal } from '@backbone/directory';
import { AllowedPrincipals, ApiKeyGuard, CurrentPrincipal } from '@backbone/http';
import { FhirError } from '../fhir-error';
import { historyBundle, searchsetBundle } from '../mapping/bundles';
import { toConsent } from '../mapping/consent';
import { toOrganization } from '../mapping/organization';
import { toPatient } from '../mapping/patient';
import type { ReferralSnapshot } from '../mapping/referral-snapshot';
import { toServiceRequest } from '../mapping/service-request';
import { toTask } from '../mapping/task';
import { ReferralRecords } from '../reading/referral-records';
import { parseTaskSearch } from '../reading/task-search-params';
import { TaskSearchQueries } from '../reading/task-search';
import { fhirBaseUrl } from './fhir-base-url';
import { FHIR_JSON } from './fhir-json';
import { OperationOutcomeFilter } from './operation-outcome.filter';

/** Whether a resource exists is not another agency's to know: 404 either way (invariant 6). */
const notFound = (what: string): FhirError => new FhirError(404, `no ${what} is known to you`);

/** The search's own query string with the next page's token in place of this page's. */
function nextPageUrl(request: Request, base: string, token: string): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query)) {
    if (name === '_page') continue;
    for (const one of [value].flat()) if (typeof one === 'string') params.append(name, one);
  }
  params.set('_page', token);
  return `${base}/Task?${params.toString()}`;
}

/** FHIR R4 reads of the referrals an agency is a party to (CONTRACT §8), and the directory. */
@Controller('fhir')
@UseGuards(ApiKeyGuard)
@AllowedPrincipals('agency')
@UseFilters(OperationOutcomeFilter)
export class FhirReadHttpController {
  constructor(
    private readonly records: ReferralRecords,
    private readonly search: TaskSearchQueries,
    private readonly directory: Directory,
  ) {}

  @Get('Task')
  @Header('Content-Type', FHIR_JSON)
  async searchTasks(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Bundle> {
    const search = parseTaskSearch(query);
    const page = await this.search.find(principal.id, search);
    const snapshots = await Promise.all(
      page.referralIds.map((id) => this.records.currentFor(id, principal.id)),
    );
    const base = fhirBaseUrl(request);
    return searchsetBundle(
      snapshots.filter((s): s is ReferralSnapshot => s !== undefined).map(toTask),
      {
        self: `${base}${request.url.slice('/fhir'.length)}`,
        ...(page.next ? { next: nextPageUrl(request, base, page.next) } : {}),
      },
      base,
    );
  }

  @Get('Task/:id')
  @Header('Content-Type', FHIR_JSON)
  async task(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<Task> {
    return toTask(await this.current(id, principal, 'Task'));
  }

  @Get('Task/:id/_history')
  @Header('Content-Type', FHIR_JSON)
  async taskHistory(
    @Param('id') id: string,
    @Req() request: Request,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Bundle> {
    const versions = await this.records.versionsFor(id, principal.id);
    if (!versions?.length) throw notFound(`Task ${id}`);
    const base = fhirBaseUrl(request);
    return historyBundle(versions.map(toTask), `${base}/Task/${id}/_history`, base);
  }

  @Get('Task/:id/_history/:versionId')
  @Header('Content-Type', FHIR_JSON)
  async taskVersion(
    @Param('id') id: string,
    @Param('versionId') versionId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Task> {
    const versions = await this.records.versionsFor(id, principal.id);
    if (!versions?.length) throw notFound(`Task ${id}`);
    const version = /^[1-9]\d{0,8}$/.test(versionId) ? versions[Number(versionId) - 1] : undefined;
    if (!version) throw notFound(`version ${versionId} of Task ${id}`);
    return toTask(version);
  }

  @Get('ServiceRequest/:id')
  @Header('Content-Type', FHIR_JSON)
  async serviceRequest(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ServiceRequest> {
    return toServiceRequest(await this.current(id, principal, 'ServiceRequest'));
  }

  @Get('Patient/:id')
  @Header('Content-Type', FHIR_JSON)
  async patient(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Patient> {
    const patient = toPatient(await this.current(id, principal, 'Patient'));
    if (!patient) {
      throw new FhirError(410, `the personal data of Patient ${id} was erased`);
    }
    return patient;
  }

  @Get('Consent/:id')
  @Header('Content-Type', FHIR_JSON)
  async consent(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Consent> {
    return toConsent(await this.current(id, principal, 'Consent'));
  }

  @Get('Organization/:id')
  @Header('Content-Type', FHIR_JSON)
  organization(@Param('id') id: string): Organization {
    // The directory's agencies are every agency's to know: they are whom referrals go to.
    const agency = this.directory.agency(id);
    if (!agency) throw notFound(`Organization ${id}`);
    return toOrganization(agency);
  }

  private async current(id: string, principal: Principal, type: string): Promise<ReferralSnapshot> {
    const snapshot = await this.records.currentFor(id, principal.id);
    if (!snapshot) throw notFound(`${type} ${id}`);
    return snapshot;
  }
}
