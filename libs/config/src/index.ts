export * from './backbone-config';
export * from './config.module';
export * from './project-root';
