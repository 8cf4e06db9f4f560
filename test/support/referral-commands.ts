import { randomUUID } from 'node:crypto';

/** A valid `referral.make.v1` envelope from `from` to `to`, as an agency system would send it. */
export function makeReferralCommand(
  from: string,
  to: string,
  overrides: Record<string, unknown> = {},
) {
  const referralId = randomUUID();
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: `agency/${from}`,
    type: 'referral.make.v1',
    time: new Date().toISOString(),
    subject: referralId,
    datacontenttype: 'application/json',
    actor: 'Mette Jensen, school nurse',
    data: {
      referralId,
      to,
      category: 'child-social-care',
      priority: 'urgent',
      reason: 'Repeated absence this term and signs of neglect observed by staff.',
      subject: {
        identifiers: [{ system: 'urn:oid:1.2.208.176.1.2', value: '0101125678' }],
        name: { given: 'Freja', family: 'Nielsen' },
        birthDate: '2012-01-01',
      },
      lawfulBasis: { basis: 'public-task' },
    },
    ...overrides,
  };
}

/** Any other command envelope from `from`, about `subject`, with `data`. */
export function commandFrom(
  from: string,
  type: string,
  subject: string,
  data: Record<string, unknown>,
) {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: `agency/${from}`,
    type,
    time: new Date().toISOString(),
    subject,
    datacontenttype: 'application/json',
    data,
  };
}
