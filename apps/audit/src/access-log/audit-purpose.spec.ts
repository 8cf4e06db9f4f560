import { ProblemException } from '@backbone/http';
import { parsePurpose } from './audit-purpose';

describe('the purpose every audit request states', () => {
  it('is taken trimmed', () => {
    expect(parsePurpose('  Serious case review SCR-2025-014 ')).toBe(
      'Serious case review SCR-2025-014',
    );
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['blank', '    '],
    ['too short to say anything', 'ok'],
    ['too long', 'x'.repeat(501)],
    ['several lines', 'review\nforged line'],
    ['repeated in the query string', ['a reason', 'another']],
  ])('is refused with 400 PURPOSE_REQUIRED when %s', (_, raw) => {
    try {
      parsePurpose(raw);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ProblemException);
      expect((error as ProblemException).problem).toMatchObject({
        status: 400,
        code: 'PURPOSE_REQUIRED',
      });
    }
  });
});
