import { createHmac } from 'node:crypto';

/**
 * The keyed hash of one identifier: what the backbone stores instead of the identifier, so
 * the person can be found again from it, but it cannot be read back. Pure: the key is passed in.
 */
export function identifierKey(key: string, identifier: { system: string; value: string }): string {
  return createHmac('sha256', key).update(`${identifier.system}|${identifier.value}`).digest('hex');
}

/** The subject id a person gets when none of their identifiers was seen before. */
export const newSubjectId = (firstIdentifierKey: string): string =>
  `subj-${firstIdentifierKey.slice(0, 32)}`;
