export * from './backbone-config';
export * from './kafka-auth-config';
export * from './kafka-tls-config';
export * from './retention-config';
export * from './webhook-config';
export * from './config.module';
export * from './project-root';
export * from './clock';
