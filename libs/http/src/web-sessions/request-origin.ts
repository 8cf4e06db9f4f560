import type { Request } from 'express';

/** Over HTTPS, directly or behind a proxy that says so. */
export const overHttps = (request: Request): boolean =>
  request.secure || request.headers['x-forwarded-proto'] === 'https';

/** The origin the request was addressed to, as a browser on one of this server's pages names it. */
export function ownOrigin(request: Request): string {
  return `${overHttps(request) ? 'https' : request.protocol}://${request.headers.host ?? ''}`;
}

/**
 * A request a browser sent from another site's page. Browsers say where a request comes from in
 * `Sec-Fetch-Site`; one that does not is judged by `Origin`. (A form posted from our own pages
 * carries `Origin: null`, as they are served with `Referrer-Policy: no-referrer`: only a browser
 * too old for `Sec-Fetch-Site` is refused for that.) Requests that say neither, such as scripts,
 * are not taken for it.
 */
export function fromAnotherOrigin(request: Request): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.origin;
  return origin !== undefined && origin !== ownOrigin(request);
}
