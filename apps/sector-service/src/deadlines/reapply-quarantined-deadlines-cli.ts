import 'reflect-metadata';
import { runReapplyQuarantinedScript } from '@backbone/platform';
import { PendingDeadlines } from './pending-deadlines';
import { reapplyQuarantinedDeadlineEvents } from './reapply-quarantined-deadlines';

// `npm run deadlines:reapply-quarantined`: after a fix is deployed, re-applies every event the
// deadline watcher quarantined (DATABASE_URL) and releases the deadlines it held; prints what
// was re-applied and what still fails (which stays quarantined). Safe while the backbone runs.

runReapplyQuarantinedScript({
  script: 'deadlines:reapply-quarantined',
  consumer: 'deadline watcher',
  reapply: (pool, store) =>
    reapplyQuarantinedDeadlineEvents(pool, store, new PendingDeadlines(pool)),
  alsoDone: (report) => `, ${report.released} held deadlines released`,
});
