import { clearedSessionCookie, sessionCookie, sessionTokenFrom } from './session-cookie';

describe('session cookie', () => {
  const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-ab';

  it('is HttpOnly, SameSite=Strict, for the whole site, and expires', () => {
    const cookie = sessionCookie(token, 600, false);
    expect(cookie).toBe(`ops_session=${token}; Path=/; Max-Age=600; HttpOnly; SameSite=Strict`);
    expect(sessionCookie(token, 600, true)).toMatch(/; Secure$/);
  });

  it('is found among other cookies, and only in the expected shape', () => {
    expect(sessionTokenFrom(`a=1; ops_session=${token}; b=2`)).toBe(token);
    expect(sessionTokenFrom('ops_session=short')).toBeUndefined();
    expect(sessionTokenFrom(`ops_session=${token}%00`)).toBeUndefined();
    expect(sessionTokenFrom(`xops_session=${token}`)).toBeUndefined();
    expect(sessionTokenFrom(undefined)).toBeUndefined();
  });

  it('is cleared with an immediate expiry', () => {
    expect(clearedSessionCookie(false)).toMatch(
      /^ops_session=deleted; Path=\/; Max-Age=0; HttpOnly/,
    );
  });
});
