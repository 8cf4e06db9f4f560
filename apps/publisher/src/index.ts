export * from './publisher.module';
export * from './published-event';
