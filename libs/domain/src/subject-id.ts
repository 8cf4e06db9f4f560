import { createHash, createHmac } from 'node:crypto';
import { Decision, reject } from './decision';

/**
 * The keyed hash of one identifier: what the backbone stores instead of the identifier, so
 * the person can be found again from it, but it cannot be read back. Pure: the key is passed in.
 */
export function identifierKey(key: string, identifier: { system: string; value: string }): string {
  return createHmac('sha256', key).update(`${identifier.system}|${identifier.value}`).digest('hex');
}

/**
 * The subject id a person gets when none of their identifiers is linked: the first of these
 * candidates that was never erased. Erasure unlinks a person's identifiers, so a person referred
 * again after it is new to the backbone, and must not get the erased subject back (it takes no
 * personal data). Derived, not random, so that two deliveries registering the same new person at
 * once agree.
 */
export function newSubjectIds(firstIdentifierKey: string): string[] {
  return Array.from({ length: NEW_SUBJECT_CANDIDATES }, (_, generation) =>
    newSubjectId(firstIdentifierKey, generation),
  );
}

/** How many times one person can be erased and still be referred again with personal data. */
const NEW_SUBJECT_CANDIDATES = 8;

/** A new person's subject id; `generation` counts the erasures of their earlier subjects. */
export function newSubjectId(firstIdentifierKey: string, generation = 0): string {
  if (generation === 0) return `subj-${firstIdentifierKey.slice(0, 32)}`;
  const digest = createHash('sha256').update(`${firstIdentifierKey}/${generation}`).digest('hex');
  return `subj-${digest.slice(0, 32)}`;
}

/**
 * The refusal of a referral or case whose identifiers already belong to more than one subject:
 * linking them would merge two people's histories. It names no subject and no identifier, so
 * the sender learns nothing about the other person but that the identifiers disagree.
 */
export const identifiersOfSeveralSubjects = (): Decision =>
  reject(
    'CONFLICT',
    'the identifiers given for the person belong to more than one person known to the backbone; ' +
      'check them and send only identifiers of this person',
  );
