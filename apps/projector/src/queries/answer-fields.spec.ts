import { HttpException } from '@nestjs/common';
import { FLOWS_PARTS, flowsPartsAsked } from './answer-fields';

describe('the parts of a flows answer', () => {
  it('are all of them when fields is absent or empty', () => {
    expect([...flowsPartsAsked(undefined)]).toEqual([...FLOWS_PARTS]);
    expect([...flowsPartsAsked('')]).toEqual([...FLOWS_PARTS]);
  });

  it('are those fields names, spaces around the commas allowed', () => {
    expect([...flowsPartsAsked('totals')]).toEqual(['totals']);
    expect([...flowsPartsAsked('totals, handoverFlows')].sort()).toEqual([
      'handoverFlows',
      'totals',
    ]);
  });

  it('refuses an unknown part, an empty one, or fields given twice', () => {
    for (const fields of ['totals,nope', 'totals,', '__proto__', ['totals', 'totals'], { a: 1 }])
      expect(() => flowsPartsAsked(fields)).toThrow(HttpException);
  });
});
