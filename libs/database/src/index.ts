export * from './database.module';
export * from './ensure-database';
export * from './migrate';
export * from './transaction';
export * from './leader-lock';
export * from './sleep-unless-aborted';
export * from './single-active-instance';
export * from './settled-in-order';
