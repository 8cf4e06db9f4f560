import { createHmac } from 'node:crypto';

/**
 * A stable pseudonymous id for a person: a keyed hash of one of their identifiers, so the raw
 * identifier never has to be stored to find the person again. Pure: the key is passed in.
 */
export function pseudonymousSubjectId(
  key: string,
  identifier: { system: string; value: string },
): string {
  const digest = createHmac('sha256', key)
    .update(`${identifier.system}|${identifier.value}`)
    .digest('hex');
  return `subj-${digest.slice(0, 32)}`;
}
