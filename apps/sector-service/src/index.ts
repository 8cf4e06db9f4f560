export * from './sector-service.module';
export * from './command-handling.module';
export * from './command-intake/command-processor';
export * from './deadlines/pending-deadlines';
export * from './deadlines/deadline-tracking';
export * from './deadlines/deadline-actions';
export * from './deadlines/reapply-quarantined-deadlines';
