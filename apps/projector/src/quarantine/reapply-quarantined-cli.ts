import 'reflect-metadata';
import { runReapplyQuarantinedScript } from '@backbone/platform';
import { reapplyQuarantinedEvents } from './reapply-quarantined';

// `npm run projections:reapply-quarantined`: after a fix is deployed, re-applies every event
// the projector quarantined (DATABASE_URL), in log order; prints what was re-applied and what
// still fails (which stays quarantined). Safe to run while the backbone runs, and again.

runReapplyQuarantinedScript({
  script: 'projections:reapply-quarantined',
  consumer: 'projector',
  reapply: reapplyQuarantinedEvents,
});
