import type { INestApplication } from '@nestjs/common';
import { BackboneConfig } from '@backbone/config';
import { StartOptions, startService } from '@backbone/platform';
import { AuditModule } from '@backbone/audit';
import { FhirModule, FhirWriteModule } from '@backbone/fhir';
import { OpsConsoleModule } from '@backbone/ops-console';
import { ProjectorModule } from '@backbone/projector';
import { PublisherModule } from '@backbone/publisher';
import { SectorServiceModule } from '@backbone/sector-service';

/** Every app's module in one process, for a single machine. */
export const BACKBONE_FEATURES = [
  SectorServiceModule,
  PublisherModule,
  ProjectorModule,
  OpsConsoleModule,
  AuditModule,
  FhirModule,
  FhirWriteModule,
];

export function startBackbone(
  config: BackboneConfig,
  options?: StartOptions,
): Promise<INestApplication> {
  return startService('referral-backbone', config, BACKBONE_FEATURES, options);
}
