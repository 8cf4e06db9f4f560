import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@backbone/event-store';

/**
 * A referral.made.v1 as the sector service stores it (the subject already pseudonymised), for
 * tests that append to the store directly and watch what follows from its decision deadline.
 */
export const storedReferralMade = (referralId: string, decisionDueBy: string): NewEvent => ({
  eventId: randomUUID(),
  type: 'referral.made.v1',
  data: {
    referralId,
    from: 'redbridge-gp-team',
    to: 'redbridge-adult-social-care',
    category: 'adult-social-care',
    priority: 'stat',
    reason: 'Lives alone after discharge',
    subjectId: 'subj-x',
    subject: { identifiers: [{ system: 'uk-nhs', value: '9434765919' }] },
    lawfulBasis: { basis: 'vital-interests' },
    decisionDueBy,
  },
  metadata: { parties: ['redbridge-gp-team', 'redbridge-adult-social-care'] },
});
