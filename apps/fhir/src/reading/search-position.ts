// Where a page of Task search results ends: the last referral's making time and id, as an
// opaque token. Paging by this keyset (it never changes for a referral) keeps pages stable
// while referrals arrive and move.
import { isRealTimestamp } from '@backbone/contracts';
import { FhirError } from '../fhir-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SearchPosition {
  madeAt: string;
  referralId: string;
}

export const encodeSearchPosition = (position: SearchPosition): string =>
  Buffer.from(JSON.stringify([position.madeAt, position.referralId])).toString('base64url');

/** The position a token names; a token this endpoint did not make is a 400. */
export function decodeSearchPosition(token: string): SearchPosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString());
    if (Array.isArray(parsed) && parsed.length === 2) {
      const [madeAt, referralId] = parsed as unknown[];
      // Checked as the query will use them: a forged token must not reach PostgreSQL's types.
      if (isRealTimestamp(madeAt) && typeof referralId === 'string' && UUID.test(referralId)) {
        return { madeAt, referralId };
      }
    }
  } catch {
    // refused below
  }
  throw new FhirError(400, '_page is not a token this endpoint returned in a next link', '_page');
}
