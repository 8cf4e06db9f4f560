import 'reflect-metadata';
import { loadServiceConfig } from '@backbone/config';
import { runService } from '@backbone/platform';
import { PublisherModule } from './publisher.module';

// The publisher on its own, for scaling out; `npm start` runs it inside apps/backbone instead.
runService('publisher', loadServiceConfig(), [PublisherModule]);
