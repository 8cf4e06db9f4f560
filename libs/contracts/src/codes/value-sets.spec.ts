import { REFERRAL_CATEGORIES } from '../agency';
import { REJECTION_CODES } from '../outcome';
import { LAWFUL_BASES } from '../referral/lawful-basis';
import { REFERRAL_PRIORITIES } from '../referral/make-referral.v1';
import { REASON_CODES } from '../referral/reason-codes';
import { OUTCOME_CODES } from '../referral/referral-commands.v1';
import { CodedValue, LABEL_LANGUAGES, VALUE_SETS } from './value-sets';

describe('value sets', () => {
  it('list exactly the contract’s codes, in its order', () => {
    const codes = (set: keyof typeof VALUE_SETS) => VALUE_SETS[set].map((value) => value.code);
    expect(codes('categories')).toEqual([...REFERRAL_CATEGORIES]);
    expect(codes('priorities')).toEqual([...REFERRAL_PRIORITIES]);
    expect(codes('reasonCodes')).toEqual([...REASON_CODES]);
    expect(codes('outcomeCodes')).toEqual([...OUTCOME_CODES]);
    expect(codes('lawfulBases')).toEqual([...LAWFUL_BASES]);
    expect(codes('rejectionCodes')).toEqual([...REJECTION_CODES]);
  });

  it('label every code in English, Danish and German, distinctly within a set', () => {
    for (const values of Object.values(VALUE_SETS) as CodedValue[][]) {
      for (const language of LABEL_LANGUAGES) {
        const labels = values.map((value) => value.labels[language]);
        for (const label of labels) expect(label.trim()).not.toBe('');
        expect(new Set(labels).size).toBe(labels.length);
      }
    }
  });
});
