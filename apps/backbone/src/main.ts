import 'reflect-metadata';
import { loadServiceConfig } from '@backbone/config';
import { runService } from '@backbone/platform';
import { BACKBONE_FEATURES } from './start-backbone';

// The all-in-one process, against Kafka and PostgreSQL that already run
// (`npm start` brings those up first: infra/dev-stack/start.ts).
runService('referral-backbone', loadServiceConfig(), BACKBONE_FEATURES);
