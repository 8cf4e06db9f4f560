// A web page's session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's
// page can send it), Path=/ (the ops console's also authorises POST /v1/operator/commands, the
// insights page's the /v1/insights API its scripts call). Each page has a cookie of its own.

/** The session token in a Cookie header under `name`, if there is one of the expected shape. */
export function sessionTokenFrom(
  cookieHeader: string | undefined,
  name: string,
): string | undefined {
  for (const pair of (cookieHeader ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at < 0) continue;
    if (pair.slice(0, at).trim() !== name) continue;
    const value = pair.slice(at + 1).trim();
    return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
  }
  return undefined;
}

/** `Secure` only over HTTPS: a browser drops a Secure cookie that arrives over plain HTTP. */
export function sessionCookie(
  name: string,
  token: string,
  maxAgeSeconds: number,
  secure: boolean,
): string {
  return [
    `${name}=${token}`,
    'Path=/',
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookie(name: string, secure: boolean): string {
  return sessionCookie(name, '', 0, secure).replace(`${name}=;`, `${name}=deleted;`);
}
