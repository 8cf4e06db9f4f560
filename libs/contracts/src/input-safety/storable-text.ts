// Text PostgreSQL and every JSON reader will store as sent: valid Unicode (no lone surrogate)
// and no NUL. `jsonb` and `text` columns refuse both, so a value holding either could never be
// recorded; it has to be refused (or, where the backbone echoes it back, replaced) first.

/** A NUL, or a UTF-16 surrogate without its other half. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what is looked for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');
const REPLACEMENT = '\uFFFD';

export const isStorableText = (text: string): boolean => !UNSTORABLE.test(text);

/**
 * The text as the backbone may echo it (in an outcome, a log line, an error path): every
 * unstorable character replaced by U+FFFD, cut to `maxLength` characters with an ellipsis.
 * Cutting never splits a surrogate pair.
 */
export function storableText(text: string, maxLength = Number.POSITIVE_INFINITY): string {
  const clean = text.replace(UNSTORABLE_ALL, REPLACEMENT);
  if (clean.length <= maxLength) return clean;
  let end = Math.max(0, maxLength - 1);
  if (/[\uD800-\uDBFF]/.test(clean.charAt(end - 1))) end--;
  return `${clean.slice(0, end)}…`;
}
