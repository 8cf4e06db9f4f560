export * from './event-store.port';
export * from './event-store.errors';
export * from './canonical-json';
export * from './hash-chain';
export * from './follow-global-log';
export * from './postgres/postgres-event-store';
export * from './postgres/checkpoint-store';
export * from './event-store.module';
