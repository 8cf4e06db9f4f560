import { isRealTimestamp } from '@backbone/contracts';
import { problem } from '@backbone/http';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Where a page ends in a newest-first list: the last row's time and id (a keyset cursor). */
export interface PagePosition {
  at: string;
  id: string;
}

/**
 * Opaque page tokens. Paging by keyset rather than offset keeps pages stable while new rows
 * arrive: they sort before the first page and never shift the rows of the next.
 */
export const encodePageToken = (position: PagePosition): string =>
  Buffer.from(JSON.stringify(position)).toString('base64url');

/** The position a token names; a token this API did not make is refused with `400`. */
export function decodePageToken(token: unknown): PagePosition | undefined {
  if (token === undefined || token === '') return undefined;
  try {
    if (typeof token !== 'string') throw new TypeError('not one token');
    const position = JSON.parse(
      Buffer.from(token, 'base64url').toString(),
    ) as Partial<PagePosition>;
    if (
      // Checked as the query will use them: a forged token must not reach PostgreSQL's types.
      isRealTimestamp(position.at) &&
      typeof position.id === 'string' &&
      UUID.test(position.id)
    ) {
      return { at: position.at, id: position.id };
    }
  } catch {
    // fall through to the problem below
  }
  throw problem(400, 'Bad Request', 'page is not a token this API returned as nextPage');
}
