export * from './sector-service.module';
export * from './command-handling.module';
export * from './command-intake/command-processor';
