import { matchesFilter, tailEntryOf } from './tail-entry';

const REFERRAL = '6f1c2d4e-0b7a-4c1e-9a53-2f0d8c1b7e44';

const record = (event: Record<string, unknown>, key = `referral-${REFERRAL}`) => ({
  key: Buffer.from(key),
  value: Buffer.from(JSON.stringify(event)),
  partition: 2,
  offset: '17',
});

const made = {
  specversion: '1.0',
  id: 'b1d5f3c0-58a1-4f7e-8d0e-6c1a2b3c4d5e',
  source: 'backbone/sector-service',
  type: 'referral.made.v1',
  time: '2025-11-28T10:00:00.123Z',
  subject: REFERRAL,
  actor: 'Mette Jensen, school nurse',
  actingagency: 'randers-school',
  data: { reason: 'Repeated absence', subject: { name: { given: 'Freja', family: 'Nielsen' } } },
};

describe('live tail entry', () => {
  it('keeps only time, type, stream and acting agency (and where the record is)', () => {
    expect(tailEntryOf(record(made))).toEqual({
      time: '2025-11-28T10:00:00.123Z',
      type: 'referral.made.v1',
      stream: `referral-${REFERRAL}`,
      actingAgency: 'randers-school',
      partition: 2,
      offset: '17',
    });
    const shown = JSON.stringify(tailEntryOf(record(made)));
    for (const personal of ['Mette', 'Freja', 'Nielsen', 'absence'])
      expect(shown).not.toContain(personal);
  });

  it('drops a field without its expected shape, and a record that is no event', () => {
    expect(
      tailEntryOf(record({ ...made, actingagency: 'Freja Nielsen' }))?.actingAgency,
    ).toBeUndefined();
    expect(tailEntryOf(record({ ...made, type: 'Freja Nielsen' }))).toBeUndefined();
    expect(tailEntryOf(record(made, 'Freja Nielsen'))).toBeUndefined();
    expect(
      tailEntryOf({ key: null, value: Buffer.from('not json'), partition: 0, offset: '1' }),
    ).toBeUndefined();
  });

  it('filters by type or type prefix, by acting agency, by referral id', () => {
    const entry = tailEntryOf(record(made))!;
    expect(matchesFilter(entry, {})).toBe(true);
    expect(matchesFilter(entry, { type: 'referral.' })).toBe(true);
    expect(matchesFilter(entry, { type: 'case.' })).toBe(false);
    expect(matchesFilter(entry, { agency: 'randers-school' })).toBe(true);
    expect(matchesFilter(entry, { agency: 'randers-social' })).toBe(false);
    expect(matchesFilter(entry, { referralId: REFERRAL.toUpperCase() })).toBe(true);
    expect(matchesFilter(entry, { referralId: 'ffffffff' })).toBe(false);
  });
});
