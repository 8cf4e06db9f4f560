import 'reflect-metadata';
import { loadServiceConfig } from '@backbone/config';
import { FhirModule } from '@backbone/fhir';
import { runService } from '@backbone/platform';
import { ProjectorModule } from './projector.module';

// The projector on its own, for scaling out; `npm start` runs it inside apps/backbone instead.
// It serves the query API, so it serves the FHIR reads beside it (they search its read model).
runService('projector', loadServiceConfig(), [ProjectorModule, FhirModule]);
