export * from './backbone.module';
export * from './start-backbone';
