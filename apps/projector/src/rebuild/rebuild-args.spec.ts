import { parseRebuildArgs } from './rebuild-args';

describe('projections:rebuild arguments', () => {
  it('rebuilds every model when none is named', () => {
    expect(parseRebuildArgs([])).toEqual([
      'referral-views',
      'case-views',
      'referral-facts',
      'handover-facts',
    ]);
  });

  it('rebuilds the named models, in either spelling', () => {
    expect(parseRebuildArgs(['--model', 'case-views'])).toEqual(['case-views']);
    expect(parseRebuildArgs(['--model=referral-views', '--model', 'case-views'])).toEqual([
      'referral-views',
      'case-views',
    ]);
  });

  it('takes the lists a model serves as its name', () => {
    expect(parseRebuildArgs(['--model', 'inbox'])).toEqual(['referral-views']);
    expect(parseRebuildArgs(['--model=cases', '--model', 'outbox'])).toEqual([
      'case-views',
      'referral-views',
    ]);
  });

  it('refuses a model it does not know, and stray arguments', () => {
    expect(() => parseRebuildArgs(['--model', 'inbox; DROP TABLE events'])).toThrow(/one of/);
    expect(() => parseRebuildArgs(['--model'])).toThrow(/one of/);
    expect(() => parseRebuildArgs(['--model', 'constructor'])).toThrow(/one of/);
    expect(() => parseRebuildArgs(['now'])).toThrow(/unknown argument/);
  });
});
