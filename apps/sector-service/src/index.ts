export * from './sector-service.module';
