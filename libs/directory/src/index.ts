export * from './directory';
export * from './directory-file';
export * from './load-directory';
export * from './directory.module';
export * from './decision-hours';
