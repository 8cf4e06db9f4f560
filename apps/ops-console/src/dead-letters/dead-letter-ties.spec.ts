import fc from 'fast-check';
import { identifierKey } from '@backbone/domain';
import { tiesOf } from './dead-letter-ties';

const KEY = 'test-subject-id-key';
const NHS = { system: 'uk-nhs', value: '9434765919' };
const CPR = { system: 'dk-cpr', value: '0101125678' };
const REFERRAL = '3f1c1a52-6a51-4d3e-9b43-2a9f3e1c0b7d';
const CASE = '7d2e5b1a-0c4f-4f8e-8a3b-1e6d9c2b4a50';
const ties = (value: string | Buffer | null) =>
  tiesOf(typeof value === 'string' ? Buffer.from(value) : value, KEY);

describe('what ties a dead letter to a person', () => {
  it('finds the identifiers of a command without an id, as keyed hashes only', () => {
    const command = {
      type: 'referral.make.v1',
      subject: REFERRAL,
      data: {
        referralId: REFERRAL,
        subject: { identifiers: [NHS, CPR], name: { given: 'Ottilie', family: 'Quist' } },
      },
    };
    const found = ties(JSON.stringify(command));
    expect(found.identifierKeys.sort()).toEqual(
      [identifierKey(KEY, NHS), identifierKey(KEY, CPR)].sort(),
    );
    expect(JSON.stringify(found)).not.toContain(NHS.value);
    expect(found.streamIds.sort()).toEqual([`case-${REFERRAL}`, `referral-${REFERRAL}`]);
  });

  it('finds the streams a command names: referral, redirected referral, case', () => {
    const found = ties(
      JSON.stringify({ data: { referralId: REFERRAL, newReferralId: CASE, caseId: CASE } }),
    );
    expect(found.streamIds.sort()).toEqual(
      [`case-${CASE}`, `referral-${CASE}`, `referral-${REFERRAL}`].sort(),
    );
  });

  it('searches text that is not JSON: a cut or broken record still names its person', () => {
    const cut = `{"type":"referral.make.v1","data":{"referralId":"${REFERRAL}","subject":{"identifiers":[{"system": "uk-nhs" , "value":"${NHS.value}"},{"value":"${CPR.value}","system":"dk-cpr"}],"name":{"giv`;
    const found = ties(cut);
    expect(found.identifierKeys.sort()).toEqual(
      [identifierKey(KEY, NHS), identifierKey(KEY, CPR)].sort(),
    );
    expect(found.streamIds).toEqual([`referral-${REFERRAL}`]);
    // JSON escapes in the text are read as JSON reads them.
    const escaped = ties(`{"system":"uk-\\u006ehs","value":"${NHS.value}"`);
    expect(escaped.identifierKeys).toEqual([identifierKey(KEY, NHS)]);
  });

  it('finds nothing in what names nobody', () => {
    for (const value of [null, '', 'garbage', '{}', '[1,2,3]', '{"system":1,"value":"x"}'])
      expect(ties(value)).toEqual({ identifierKeys: [], streamIds: [] });
    // Not an id the backbone could have made: never a stream.
    expect(ties('{"data":{"referralId":"not-a-uuid"}}').streamIds).toEqual([]);
    // Longer than the contract allows: never linked to anyone, so not kept.
    expect(ties(JSON.stringify({ system: 's', value: 'v'.repeat(201) })).identifierKeys).toEqual(
      [],
    );
  });

  it('keeps at most 64 of each, however many a record holds', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ system: 's', value: `v${i}` }));
    expect(ties(JSON.stringify({ data: { identifiers: many } })).identifierKeys).toHaveLength(64);
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 2_000 }), fc.json()), (input) => {
        const value = typeof input === 'string' ? Buffer.from(input) : Buffer.from(input);
        const found = tiesOf(value, KEY);
        expect(found.identifierKeys.length).toBeLessThanOrEqual(64);
        expect(found.streamIds.length).toBeLessThanOrEqual(64);
      }),
    );
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(ties(deep)).toEqual({ identifierKeys: [], streamIds: [] });
  });
});
