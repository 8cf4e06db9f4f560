import { contractFieldRules } from './contract-fields';
import { maskedPreview } from './dead-letter-preview';

const context = {
  fields: contractFieldRules(),
  isKnownAgency: (id: string) => ['randers-school', 'randers-social'].includes(id),
};

// A command an agency sent, with personal data in plain text, that could not be answered (its
// id is no UUID), plus a key and a value of its own invention.
const PERSONAL = ['Freja', 'Nielsen', '0101125678', '2012-01-01', 'Mette Jensen', 'neglect'];
const garbage = {
  specversion: '1.0',
  id: 'not-a-uuid',
  source: 'agency/randers-school',
  type: 'referral.make.v1',
  time: '2025-11-28T10:00:00Z',
  subject: '6f1c2d4e-0b7a-4c1e-9a53-2f0d8c1b7e44',
  actor: 'Mette Jensen, school nurse',
  data: {
    referralId: '6f1c2d4e-0b7a-4c1e-9a53-2f0d8c1b7e44',
    to: 'randers-social',
    category: 'child-social-care',
    priority: 'urgent',
    reason: 'Repeated absence and signs of neglect',
    subject: {
      identifiers: [{ system: 'urn:oid:1.2.208.176.1.2', value: '0101125678' }],
      name: { given: 'Freja', family: 'Nielsen' },
      birthDate: '2012-01-01',
    },
    lawfulBasis: { basis: 'public-task' },
    'Freja Nielsen': 42,
  },
};

describe('masked dead-letter preview', () => {
  const preview = maskedPreview(Buffer.from(JSON.stringify(garbage)), context);
  const shown = JSON.stringify(preview);

  it('never shows a personal value, nor an unknown key', () => {
    for (const value of PERSONAL) expect(shown).not.toContain(value);
    expect(shown).not.toContain('not-a-uuid');
  });

  it('shows the shape, and the contract vocabulary that helps to triage', () => {
    expect(preview).toMatchObject({
      format: 'json',
      content: {
        specversion: '1.0',
        id: '«text, 10 chars»',
        source: 'agency/randers-school',
        type: 'referral.make.v1',
        actor: '«text, 26 chars»',
        data: {
          referralId: '6f1c2d4e-0b7a-4c1e-9a53-2f0d8c1b7e44',
          to: 'randers-social',
          category: 'child-social-care',
          priority: 'urgent',
          reason: '«text, 37 chars»',
          subject: {
            identifiers: [{ system: '«text, 23 chars»', value: '«text, 10 chars»' }],
            name: { given: '«text, 5 chars»', family: '«text, 7 chars»' },
            birthDate: '«text, 10 chars»',
          },
          lawfulBasis: { basis: 'public-task' },
          '«key 1»': '«number»',
        },
      },
    });
  });

  it('shows an unknown agency no more than any other text', () => {
    const other = maskedPreview(
      Buffer.from(JSON.stringify({ source: 'agency/freja-nielsen' })),
      context,
    );
    expect(other.content).toEqual({ source: '«text, 20 chars»' });
  });

  it('shows only the size of what is not JSON', () => {
    expect(maskedPreview(Buffer.from('Freja Nielsen 0101125678'), context)).toEqual({
      format: 'not-json',
      bytes: 24,
    });
    expect(maskedPreview(null, context)).toEqual({ format: 'empty', bytes: 0 });
  });
});
