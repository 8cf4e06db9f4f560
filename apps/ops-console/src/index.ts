export * from './ops-console.module';
