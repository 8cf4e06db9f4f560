// The console's session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's
// page can send it), Path=/ (it also authorises POST /v1/operator/commands from the console).

export const SESSION_COOKIE = 'ops_session';

/** The session token in a Cookie header, if there is one. */
export function sessionTokenFrom(cookieHeader: string | undefined): string | undefined {
  for (const pair of (cookieHeader ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at < 0) continue;
    if (pair.slice(0, at).trim() !== SESSION_COOKIE) continue;
    const value = pair.slice(at + 1).trim();
    return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
  }
  return undefined;
}

/** `Secure` only over HTTPS: a browser drops a Secure cookie that arrives over plain HTTP. */
export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', 0, secure).replace(`${SESSION_COOKIE}=;`, `${SESSION_COOKIE}=deleted;`);
}
