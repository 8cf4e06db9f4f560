import { Module } from '@nestjs/common';
import { FhirMetadataHttpController } from './http/fhir-metadata.http.controller';
import { FhirReadHttpController } from './http/fhir-read.http.controller';
import { ReferralRecords } from './reading/referral-records';
import { TaskSearchQueries } from './reading/task-search';

/**
 * The FHIR R4 façade (CONTRACT §8), read side: Task, ServiceRequest, Patient, Consent and
 * Organization from the event store, the read models and the directory.
 */
@Module({
  controllers: [FhirMetadataHttpController, FhirReadHttpController],
  providers: [ReferralRecords, TaskSearchQueries],
})
export class FhirModule {}
