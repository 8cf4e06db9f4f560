export * from './logger';
export * from './nest-logger';
export * from './metric-factory';
export * from './tracing';
export * from './metric-sources';
