import { HttpException } from '@nestjs/common';
import { csvAsked } from './answer-format';

describe('the format of an insights answer', () => {
  it('is CSV when the query says so, whatever Accept says, and JSON likewise', () => {
    expect(csvAsked('csv', 'application/json')).toBe(true);
    expect(csvAsked('json', 'text/csv')).toBe(false);
  });

  it('follows Accept when the query names no format', () => {
    expect(csvAsked(undefined, 'text/csv')).toBe(true);
    expect(csvAsked('', 'text/csv, */*')).toBe(true);
    expect(csvAsked(undefined, 'application/json')).toBe(false);
    expect(csvAsked(undefined, undefined)).toBe(false);
  });

  it('refuses any other format, or one given twice', () => {
    for (const format of ['xml', ['csv', 'csv'], { csv: 1 }])
      expect(() => csvAsked(format, undefined)).toThrow(HttpException);
  });
});
