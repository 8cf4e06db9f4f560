import 'reflect-metadata';
import { loadServiceConfig } from '@backbone/config';
import { runService } from '@backbone/platform';
import { AuditModule } from './audit.module';

// The audit API on its own, for scaling out; `npm start` runs it inside apps/backbone instead.
runService('audit', loadServiceConfig(), [AuditModule]);
