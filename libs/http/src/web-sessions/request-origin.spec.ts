import type { Request } from 'express';
import { fromAnotherOrigin } from './request-origin';

const request = (headers: Record<string, string>): Request =>
  ({
    headers: { host: 'backbone.example:3000', ...headers },
    protocol: 'http',
    secure: false,
  }) as unknown as Request;

describe('a request from another origin', () => {
  it('is told by Sec-Fetch-Site where the browser sends it', () => {
    expect(fromAnotherOrigin(request({ 'sec-fetch-site': 'same-origin' }))).toBe(false);
    expect(fromAnotherOrigin(request({ 'sec-fetch-site': 'none' }))).toBe(false);
    expect(fromAnotherOrigin(request({ 'sec-fetch-site': 'cross-site' }))).toBe(true);
    expect(fromAnotherOrigin(request({ 'sec-fetch-site': 'same-site' }))).toBe(true);
    // Our own form, posted under Referrer-Policy: no-referrer, says `Origin: null`.
    expect(fromAnotherOrigin(request({ 'sec-fetch-site': 'same-origin', origin: 'null' }))).toBe(
      false,
    );
  });

  it('is told by Origin where Sec-Fetch-Site is missing', () => {
    expect(fromAnotherOrigin(request({ origin: 'http://backbone.example:3000' }))).toBe(false);
    expect(fromAnotherOrigin(request({ origin: 'https://elsewhere.example' }))).toBe(true);
    expect(fromAnotherOrigin(request({ origin: 'null' }))).toBe(true);
  });

  it('is not what a script sends, which names no origin', () => {
    expect(fromAnotherOrigin(request({}))).toBe(false);
  });
});
