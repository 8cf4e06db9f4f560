import 'reflect-metadata';
import { loadServiceConfig } from '@backbone/config';
import { runService } from '@backbone/platform';
import { SectorServiceModule } from './sector-service.module';

// The sector-service on its own, for scaling out; `npm start` runs it inside apps/backbone instead.
runService('sector-service', loadServiceConfig(), [SectorServiceModule]);
