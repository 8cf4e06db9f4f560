import 'reflect-metadata';
import { loadServiceConfig } from '@backbone/config';
import { runService } from '@backbone/platform';
import { ProjectorModule } from './projector.module';

// The projector on its own, for scaling out; `npm start` runs it inside apps/backbone instead.
runService('projector', loadServiceConfig(), [ProjectorModule]);
