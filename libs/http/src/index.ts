export * from './problem';
export * from './problem.filter';
export * from './api-key.guard';
export * from './health.controller';
export * from './create-http-app';
export * from './metrics.controller';
