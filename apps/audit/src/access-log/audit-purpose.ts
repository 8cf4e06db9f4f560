import { MAX_PURPOSE_LENGTH } from '@backbone/contracts';
import { problem } from '@backbone/http';

export const MIN_PURPOSE_LENGTH = 3;

/** Control characters would let a purpose forge lines in whatever renders the access log. */
const hasControlCharacter = (text: string): boolean =>
  [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/**
 * Every `/v1/audit/*` call states why (CONTRACT §7). A purpose is free text of 3 to 500
 * characters, without control characters, trimmed; anything else is refused before anything is
 * read, and is not recorded.
 */
export function parsePurpose(raw: unknown): string {
  const purpose = typeof raw === 'string' ? raw.trim() : '';
  if (
    purpose.length < MIN_PURPOSE_LENGTH ||
    purpose.length > MAX_PURPOSE_LENGTH ||
    hasControlCharacter(purpose)
  ) {
    throw problem(
      400,
      'Purpose required',
      `every audit request states its purpose: ?purpose=<why, ${MIN_PURPOSE_LENGTH} to ${MAX_PURPOSE_LENGTH} characters, one line>`,
      { code: 'PURPOSE_REQUIRED' },
    );
  }
  return purpose;
}
