export * from './start-backbone';
