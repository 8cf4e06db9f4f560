import { Module } from '@nestjs/common';
import { CommandSubmissionModule } from '@backbone/sector-service';
import { FhirWriteHttpController } from './http/fhir-write.http.controller';
import { ReferralRecords } from './reading/referral-records';
import { FhirCommands } from './writing/fhir-commands';
import { ReferralWrites } from './writing/referral-writes';

/**
 * The FHIR R4 façade's writes (CONTRACT §8): served where commands are decided (the sector
 * service, or the all-in-one backbone), through the same submission as `POST /v1/commands`.
 */
@Module({
  imports: [CommandSubmissionModule],
  controllers: [FhirWriteHttpController],
  providers: [ReferralRecords, FhirCommands, ReferralWrites],
})
export class FhirWriteModule {}
