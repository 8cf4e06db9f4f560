export * from './projector.module';
export * from './quarantine/reapply-quarantined';
