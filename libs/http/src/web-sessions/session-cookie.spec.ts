import { clearedSessionCookie, sessionCookie, sessionTokenFrom } from './session-cookie';

describe('session cookie', () => {
  const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-ab';

  it('is HttpOnly, SameSite=Strict, for the whole site, and expires', () => {
    const cookie = sessionCookie('ops_session', token, 600, false);
    expect(cookie).toBe(`ops_session=${token}; Path=/; Max-Age=600; HttpOnly; SameSite=Strict`);
    expect(sessionCookie('ops_session', token, 600, true)).toMatch(/; Secure$/);
  });

  it('is found among other cookies under its own name, and only in the expected shape', () => {
    expect(sessionTokenFrom(`a=1; ops_session=${token}; b=2`, 'ops_session')).toBe(token);
    expect(sessionTokenFrom(`ops_session=${token}`, 'insights_session')).toBeUndefined();
    expect(sessionTokenFrom('ops_session=short', 'ops_session')).toBeUndefined();
    expect(sessionTokenFrom(`ops_session=${token}%00`, 'ops_session')).toBeUndefined();
    expect(sessionTokenFrom(`xops_session=${token}`, 'ops_session')).toBeUndefined();
    expect(sessionTokenFrom(undefined, 'ops_session')).toBeUndefined();
  });

  it('is cleared with an immediate expiry', () => {
    expect(clearedSessionCookie('insights_session', false)).toMatch(
      /^insights_session=deleted; Path=\/; Max-Age=0; HttpOnly/,
    );
  });
});
