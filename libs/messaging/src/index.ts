export * from './kafka-client';
export * from './cloud-event-message';
export * from './topic-admin';
export * from './backbone-topics';
export * from './kafka.module';
export * from './prepare-topics';
export * from './messaging-metrics';
