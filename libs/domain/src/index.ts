export * from './decision';
export * from './subject-id';
export * from './referral/referral-stream';
export * from './referral/referral.state';
export * from './referral/referral.evolve';
export * from './referral/decision-deadline';
export * from './referral/make-referral.decide';
