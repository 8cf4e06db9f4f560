import {
  Body,
  Controller,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Bundle, Resource, Task } from '@medplum/fhirtypes';
import type { Principal } from '@backbone/directory';
import { AllowedPrincipals, ApiKeyGuard, CurrentPrincipal } from '@backbone/http';
import { FhirError } from '../fhir-error';
import { type TransactionAnswer, transactionResponseBundle } from '../mapping/bundles';
import { toConsent } from '../mapping/consent';
import { toPatient } from '../mapping/patient';
import type { ReferralSnapshot } from '../mapping/referral-snapshot';
import { toServiceRequest } from '../mapping/service-request';
import { toTask } from '../mapping/task';
import { etagOf, versionOfIfMatch } from '../writing/conditional-headers';
import { partsOfTask, partsOfTransaction } from '../writing/referral-parts';
import { ReferralWrites, type Written } from '../writing/referral-writes';
import { patchedTask } from '../writing/task-patch';
import { fhirBaseUrl } from './fhir-base-url';
import { FHIR_JSON } from './fhir-json';
import { OperationOutcomeFilter } from './operation-outcome.filter';

const requestInfo = (request: Request, route: string) => ({
  headers: request.headers,
  method: request.method,
  route,
});

/** The resource of each part of a referral, as the read side serves it. */
function resourceOfPart(type: string, snapshot: ReferralSnapshot): Resource {
  if (type === 'Task') return toTask(snapshot);
  if (type === 'ServiceRequest') return toServiceRequest(snapshot);
  if (type === 'Consent') return toConsent(snapshot);
  const patient = toPatient(snapshot);
  if (!patient)
    throw new FhirError(410, `the personal data of Patient ${snapshot.referralId} was erased`);
  return patient;
}

/**
 * FHIR R4 writes (CONTRACT §8): a referral made by a transaction Bundle or a Task with its
 * parts contained, moved by PUT or JSON Patch of its Task. Each becomes one command of
 * CONTRACT §4 in the caller's name, decided like every other.
 */
@Controller('fhir')
@UseGuards(ApiKeyGuard)
@AllowedPrincipals('agency')
@UseFilters(OperationOutcomeFilter)
export class FhirWriteHttpController {
  constructor(private readonly writes: ReferralWrites) {}

  @Post()
  @HttpCode(200)
  async transaction(
    @Body() body: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Bundle> {
    const { parts, entries } = partsOfTransaction(body);
    const ifNoneExist = entries.find((entry) => entry.type === 'Task')?.ifNoneExist;
    const written = await this.writes.create(
      parts,
      principal.id,
      ifNoneExist,
      requestInfo(request, '/fhir'),
    );
    const { snapshot } = written;
    const answers = entries.map(({ type }): TransactionAnswer => ({
      resource: resourceOfPart(type, snapshot),
      status: written.changed ? '201 Created' : '200 OK',
      ...(type === 'Task' ? { version: snapshot.version } : {}),
      lastModified: type === 'Task' ? snapshot.lastUpdated : snapshot.madeAt,
    }));
    response.type(FHIR_JSON);
    return transactionResponseBundle(answers, fhirBaseUrl(request));
  }

  @Post('Task')
  async createTask(
    @Body() body: unknown,
    @Headers('if-none-exist') ifNoneExist: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Task> {
    const written = await this.writes.create(
      partsOfTask(body),
      principal.id,
      ifNoneExist,
      requestInfo(request, '/fhir/Task'),
    );
    return this.answerTask(written, request, response, written.changed ? 201 : 200);
  }

  @Put('Task/:id')
  async updateTask(
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Task> {
    const task = body as Task | undefined;
    if (task?.resourceType !== 'Task')
      throw new FhirError(400, 'the body must be a FHIR Task', 'Task');
    if (task.id !== id)
      throw new FhirError(400, `Task.id must be ${id}, the id in the URL`, 'Task.id');
    const written = await this.writes.change(
      id,
      principal.id,
      versionOfIfMatch(ifMatch),
      () => task,
      requestInfo(request, '/fhir/Task/:id'),
    );
    return this.answerTask(written, request, response, 200);
  }

  @Patch('Task/:id')
  async patchTask(
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Task> {
    if (!request.is('application/json-patch+json')) {
      throw new FhirError(
        415,
        'PATCH takes a JSON Patch: Content-Type application/json-patch+json',
      );
    }
    const written = await this.writes.change(
      id,
      principal.id,
      versionOfIfMatch(ifMatch),
      (current) => patchedTask(current, body),
      requestInfo(request, '/fhir/Task/:id'),
    );
    return this.answerTask(written, request, response, 200);
  }

  private answerTask(written: Written, request: Request, response: Response, status: number): Task {
    const task = toTask(written.snapshot);
    const { version, referralId, lastUpdated } = written.snapshot;
    response
      .status(status)
      .type(FHIR_JSON)
      .setHeader('ETag', etagOf(version))
      .setHeader('Last-Modified', new Date(lastUpdated).toUTCString())
      .setHeader('Location', `${fhirBaseUrl(request)}/Task/${referralId}/_history/${version}`);
    return task;
  }
}
