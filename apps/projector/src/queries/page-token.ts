import { problem } from '@backbone/http';

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

export function decodePageToken(token: string | undefined): PagePosition | undefined {
  if (token === undefined || token === '') return undefined;
  try {
    const position = JSON.parse(
      Buffer.from(token, 'base64url').toString(),
    ) as Partial<PagePosition>;
    if (
      typeof position.at === 'string' &&
      typeof position.id === 'string' &&
      !Number.isNaN(Date.parse(position.at))
    ) {
      return { at: position.at, id: position.id };
    }
  } catch {
    // fall through to the problem below
  }
  throw problem(400, 'Bad Request', 'page is not a token this API returned as nextPage');
}
