import { parseAuditArgs } from './audit-command';

describe('the audit command line', () => {
  const env = { AUDIT_API_KEY: 'k' };

  it('reads the referral, the instant and the purpose', () => {
    expect(
      parseAuditArgs(
        ['history', 'r-1', '--as-of', '2025-03-01T12:00:00Z', '--purpose', 'SCR 14'],
        env,
      ),
    ).toEqual({
      command: 'history',
      id: 'r-1',
      asOf: '2025-03-01T12:00:00Z',
      purpose: 'SCR 14',
      key: 'k',
      url: 'http://127.0.0.1:3000',
      json: false,
    });
  });

  it('takes the purpose, key and address from the environment too', () => {
    expect(
      parseAuditArgs(['subject-history', 'subj-1'], {
        AUDIT_API_KEY: 'k',
        AUDIT_PURPOSE: 'Inspection',
        BACKBONE_URL: 'https://backbone.example',
      }),
    ).toMatchObject({
      command: 'subject-history',
      purpose: 'Inspection',
      url: 'https://backbone.example',
    });
  });

  it.each([
    [['history'], /what to show/],
    [['history', 'r-1'], /--purpose/],
    [['history', 'r-1', '--purpose'], /needs a value/],
    [['history', 'r-1', '--bogus', 'x', '--purpose', 'p'], /unknown option/],
    [['drop', 'r-1', '--purpose', 'p'], /what to show/],
  ])('explains what is missing in %j', (argv, message) => {
    expect(parseAuditArgs(argv, env)).toMatch(message);
  });

  it('needs an auditor key', () => {
    expect(parseAuditArgs(['history', 'r-1', '--purpose', 'p'], {})).toMatch(/AUDIT_API_KEY/);
  });
});
