import { START_OF_LOG } from '@backbone/event-store';
import { ProblemException } from '@backbone/http';
import { decodeChangesCursor, encodeChangesCursor } from './changes-cursor';

describe('inbox changes cursor', () => {
  it('names the position it was made from', () => {
    for (const position of [
      { transactionId: '0', globalPosition: '0' },
      { transactionId: '812', globalPosition: '40961' },
      { transactionId: '18446744073709551615', globalPosition: '9223372036854775807' },
    ]) {
      expect(decodeChangesCursor(encodeChangesCursor(position))).toEqual(position);
    }
  });

  it('starts at the beginning of the log without one', () => {
    expect(decodeChangesCursor(undefined)).toEqual(START_OF_LOG);
    expect(decodeChangesCursor('')).toEqual(START_OF_LOG);
  });

  it('refuses with 400 what it did not make', () => {
    const made = (text: string) => Buffer.from(text).toString('base64url');
    for (const forged of [
      'garbage!',
      made('1.2.3'),
      made('-1.2'),
      made('01.2'),
      made('1.'),
      made('18446744073709551616.1'),
      made('1.9223372036854775808'),
      made('1e3.2'),
      'x'.repeat(65),
      ['a', 'b'],
      { transactionId: '1' },
    ]) {
      expect(() => decodeChangesCursor(forged)).toThrow(ProblemException);
      try {
        decodeChangesCursor(forged);
      } catch (error) {
        expect((error as ProblemException).problem.status).toBe(400);
      }
    }
  });
});
