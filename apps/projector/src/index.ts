export * from './projector.module';
export * from './quarantine/reapply-quarantined';
export { type ReferralSummary, ReferralViewsQueries } from './queries/referral-views.queries';
