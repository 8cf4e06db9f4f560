import type { Request } from 'express';

/** Over HTTPS, directly or behind a proxy that says so. */
export const overHttps = (request: Request): boolean =>
  request.secure || request.headers['x-forwarded-proto'] === 'https';

/** The origin the request was addressed to, as a browser on one of this server's pages names it. */
export function ownOrigin(request: Request): string {
  return `${overHttps(request) ? 'https' : request.protocol}://${request.headers.host ?? ''}`;
}

/**
 * A request a browser sent from another site's page: it names an origin, and not this one.
 * Requests without `Origin` (scripts, old browsers on a plain GET) are not taken for it.
 */
export function fromAnotherOrigin(request: Request): boolean {
  const origin = request.headers.origin;
  return origin !== undefined && origin !== ownOrigin(request);
}
