// Decorator metadata (class-transformer's @Type) needs the Reflect API before any contract class loads.
import 'reflect-metadata';

export * from './agency';
export * from './topics';
export * from './envelope/cloud-event';
export * from './envelope/command-envelope';
export * from './envelope/operator-command-envelope';
export * from './subject/subject-erasure.v1';
export * from './dead-letter/dead-letter-redrive.v1';
export * from './audit/audit-accessed.v1';
export * from './validation';
export * from './input-safety';
export * from './outcome';
export * from './outcome-events';
export * from './command-types';
export * from './referral/person-subject';
export * from './referral/lawful-basis';
export * from './referral/make-referral.v1';
export * from './referral/referral-made.v1';
export * from './referral/referral-commands.v1';
export * from './referral/referral-events.v1';
export * from './case/case-commands.v1';
export * from './case/case-events.v1';
export * from './schemas/contract-schemas';
export * from './upcasters';
export * from './event-types';
export * from './personal-data/personal-data';
export * from './personal-data/personal-fields';
