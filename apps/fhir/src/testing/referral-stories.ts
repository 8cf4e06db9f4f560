// Opened referral streams for specs: each story a referral's events as a party reads them.
import type { ReferralEvent } from '../mapping/referral-snapshot';

export const REFERRAL_ID = '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
export const NEW_REFERRAL_ID = '7a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d';

const at = (minute: number): string => `2026-12-01T09:${String(minute).padStart(2, '0')}:00.000Z`;

const made = (overrides: Record<string, unknown> = {}): ReferralEvent => ({
  type: 'referral.made.v1',
  streamVersion: 1,
  recordedAt: at(0),
  data: {
    referralId: REFERRAL_ID,
    from: 'randers-school',
    to: 'randers-social',
    category: 'child-social-care',
    priority: 'urgent',
    reason: 'Repeated absence this term and signs of neglect observed by staff.',
    subjectId: 'subject-1',
    subject: {
      identifiers: [{ system: 'urn:oid:1.2.208.176.1.2', value: '0101125678' }],
      name: { given: 'Freja', family: 'Nielsen' },
      birthDate: '2012-01-01',
    },
    lawfulBasis: { basis: 'consent', consentRef: 'school-consent-2026-118' },
    decisionDueBy: '2026-12-02T09:00:00.000Z',
    dueBy: '2026-12-20T00:00:00.000Z',
    ...overrides,
  },
});

const next = (
  type: string,
  streamVersion: number,
  data: Record<string, unknown> = {},
): ReferralEvent => ({
  type,
  streamVersion,
  recordedAt: at(streamVersion * 5),
  data: { referralId: REFERRAL_ID, ...data },
});

/** Made, acknowledged, noted, accepted, started, held, started again and completed. */
export const COMPLETED_STORY: ReferralEvent[] = [
  made(),
  next('referral.received.v1', 2),
  next('referral.noted.v1', 3, {
    by: 'randers-social',
    text: 'Could you send the attendance record?',
  }),
  next('referral.accepted.v1', 4, {
    caseId: '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    assignee: 'Family team 2',
  }),
  next('referral.started.v1', 5),
  next('referral.held.v1', 6, { reason: 'Family away until Monday' }),
  next('referral.started.v1', 7),
  next('referral.completed.v1', 8, {
    outcome: 'Family support plan agreed with the parents.',
    outcomeCode: 'service-provided',
  }),
];

/** Made, overdue, then rejected with a coded reason. */
export const REJECTED_STORY: ReferralEvent[] = [
  made({ lawfulBasis: { basis: 'public-task' }, dueBy: undefined }),
  next('referral.overdue.v1', 2, {
    decisionDueBy: '2026-12-02T09:00:00.000Z',
    status: 'requested',
  }),
  next('referral.rejected.v1', 3, {
    reason: 'The family lives outside our municipality.',
    reasonCode: 'wrong-service',
  }),
];

/** Made and redirected to another agency, which got a new referral. */
export const REDIRECTED_STORY: ReferralEvent[] = [
  made(),
  next('referral.redirected.v1', 2, {
    to: 'east-jutland-police',
    newReferralId: NEW_REFERRAL_ID,
    reason: 'A police matter first.',
    reasonCode: 'wrong-service',
  }),
];

/** Made, then the person's data erased: every personal field reads `[erased]`. */
export const ERASED_STORY: ReferralEvent[] = [
  made({ subject: '[erased]', reason: '[erased]' }),
  next('referral.cancelled.v1', 2, { reason: '[erased]', reasonCode: 'person-declined' }),
];

/** Made, accepted, started, then failed with a coded reason. */
export const FAILED_STORY: ReferralEvent[] = [
  made(),
  next('referral.accepted.v1', 2, { caseId: '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' }),
  next('referral.started.v1', 3),
  next('referral.failed.v1', 4, {
    reason: 'The family moved before the first visit.',
    reasonCode: 'moved-away',
  }),
];
