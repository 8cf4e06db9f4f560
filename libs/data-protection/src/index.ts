export * from './aes-gcm';
export * from './master-keyring';
export * from './sealed-value';
export * from './subject-keys';
export * from './event-sealing';
export * from './personal-data.services';
export * from './data-protection.module';
export * from './subject-erasure';
