import 'reflect-metadata';
import { loadServiceConfig } from '@backbone/config';
import { FhirWriteModule } from '@backbone/fhir';
import { runService } from '@backbone/platform';
import { SectorServiceModule } from './sector-service.module';

// The sector-service on its own, for scaling out; `npm start` runs it inside apps/backbone instead.
// It decides commands, so it serves the FHIR writes (which become commands) beside them.
runService('sector-service', loadServiceConfig(), [SectorServiceModule, FhirWriteModule]);
