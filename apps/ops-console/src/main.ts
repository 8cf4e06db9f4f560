import 'reflect-metadata';
import { loadServiceConfig } from '@backbone/config';
import { runService } from '@backbone/platform';
import { OpsConsoleModule } from './ops-console.module';

// The ops console on its own, for scaling out; `npm start` runs it inside apps/backbone instead.
runService('ops-console', loadServiceConfig(), [OpsConsoleModule]);
