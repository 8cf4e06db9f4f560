export * from './platform.module';
export * from './start-service';
export * from './production-readiness';
export * from './reapply-quarantined-cli';
