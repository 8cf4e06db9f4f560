import { Inject, Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { identifierKey, newSubjectIds } from '@backbone/domain';

const FIND = `
  SELECT subject_id FROM subject_identifiers WHERE identifier_key = ANY($1::text[])
  ORDER BY linked_at, subject_id LIMIT 1`;
// The first of a new person's candidate ids whose data key was never destroyed (else the first:
// a person erased more times than there are candidates stays refused personal data).
const NEVER_ERASED = `
  SELECT c.subject_id FROM unnest($2::text[]) WITH ORDINALITY AS c(subject_id, n)
  WHERE NOT EXISTS (
    SELECT 1 FROM subject_keys k WHERE k.subject_id = c.subject_id AND k.erased_at IS NOT NULL)
  ORDER BY c.n LIMIT 1`;
// One round trip on every referral made: the subject the identifiers already have (else a new
// id), with every identifier not yet known linked to it. Identifiers that already belong to two
// subjects are not linked at all (`subject_id` null): two people are never merged by one referral.
// `unlinked` counts the identifiers the statement meant to link and `linked` those it did; fewer
// means another delivery linked one of them meanwhile, and the caller asks again.
const RESOLVE = `
  WITH known AS (
    SELECT DISTINCT subject_id FROM subject_identifiers WHERE identifier_key = ANY($1::text[])
  ), chosen AS (
    SELECT CASE WHEN (SELECT count(*) FROM known) > 1 THEN NULL
      ELSE COALESCE((SELECT min(subject_id) FROM known), (${NEVER_ERASED.trim()}), $2[1])
    END AS subject_id
  ), unlinked AS (
    SELECT DISTINCT k.identifier_key FROM unnest($1::text[]) AS k(identifier_key)
    WHERE NOT EXISTS (SELECT 1 FROM subject_identifiers s WHERE s.identifier_key = k.identifier_key)
  ), linked AS (
    INSERT INTO subject_identifiers (identifier_key, subject_id)
    SELECT u.identifier_key, c.subject_id FROM unlinked u, chosen c WHERE c.subject_id IS NOT NULL
    ON CONFLICT (identifier_key) DO NOTHING
    RETURNING 1
  )
  SELECT subject_id, (SELECT count(*) FROM unlinked)::int AS unlinked,
    (SELECT count(*) FROM linked)::int AS linked
  FROM chosen`;
const LINKS_OF = `
  SELECT identifier_key, subject_id FROM subject_identifiers WHERE identifier_key = ANY($1::text[])`;
const UNLINK = 'DELETE FROM subject_identifiers WHERE subject_id = $1 RETURNING identifier_key';
const STORE_LINKS = `
  INSERT INTO subject_identifiers (identifier_key, subject_id)
  SELECT * FROM unnest($1::text[], $2::text[])
  ON CONFLICT (identifier_key) DO NOTHING`;

export interface Identifier {
  system: string;
  value: string;
}

/**
 * Finds (or makes) the subject a person's identifiers belong to: null when they already belong
 * to more than one subject (a referral naming two people's identifiers must not merge them).
 */
export interface SubjectResolver {
  resolve(identifiers: Identifier[]): Promise<string | null>;
}

/** Asking again after a concurrent link settles at once; this only bounds a pathological case. */
const RESOLVE_ATTEMPTS = 5;

/**
 * The links from a person's identifiers to their pseudonymous subject (`subject_identifiers`,
 * which only this class reads or writes): the sector service resolves and links, auditors look
 * up, erasure unlinks. Raw identifiers never reach the database: only their keyed hashes do.
 */
@Injectable()
export class SubjectRegistry implements SubjectResolver {
  constructor(
    private readonly pool: Pool,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  async resolve(identifiers: Identifier[]): Promise<string | null> {
    const keys = this.keysOf(identifiers);
    // A new person's id derives from their first identifier, so two deliveries racing to
    // register the same person agree on it.
    const candidates = newSubjectIds(keys[0]);
    for (let attempt = 1; ; attempt++) {
      const { rows } = await this.pool.query<{
        subject_id: string | null;
        unlinked: number;
        linked: number;
      }>(RESOLVE, [keys, candidates]);
      const [{ subject_id: subjectId, unlinked, linked }] = rows;
      // Another delivery linked one of these identifiers between the read and the insert: it may
      // belong to another subject now, so the answer is read again.
      if (subjectId !== null && linked < unlinked && attempt < RESOLVE_ATTEMPTS) continue;
      return subjectId;
    }
  }

  /** The keyed hashes that stand for these identifiers. */
  keysOf(identifiers: Identifier[]): string[] {
    return identifiers.map((identifier) => identifierKey(this.config.subjectIdKey, identifier));
  }

  /** The subject each of these identifier keys is stored linked to. */
  async linksOf(keys: string[]): Promise<Map<string, string>> {
    const links = new Map<string, string>();
    if (!keys.length) return links;
    const { rows } = await this.pool.query<{ identifier_key: string; subject_id: string }>({
      name: 'subject-links-of',
      text: LINKS_OF,
      values: [keys],
    });
    for (const row of rows) links.set(row.identifier_key, row.subject_id);
    return links;
  }

  /**
   * Links identifier keys to subjects in the caller's transaction; false if another
   * transaction linked one of them first (the caller then decides again, one by one).
   */
  async storeLinks(links: Map<string, string>, client: PoolClient): Promise<boolean> {
    if (!links.size) return true;
    // Sorted, so that concurrent transactions take the key locks in one order.
    const sorted = [...links].sort(([a], [b]) => (a < b ? -1 : 1));
    // Named: every group of referral commands stores its links with it.
    const { rowCount } = await client.query({
      name: 'subject-identifiers.store-links',
      text: STORE_LINKS,
      values: [sorted.map(([key]) => key), sorted.map(([, subjectId]) => subjectId)],
    });
    return rowCount === links.size;
  }

  /** The subject an identifier maps to, without registering anything (for auditors). */
  async find(identifier: Identifier): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ subject_id: string }>(FIND, [
      [identifierKey(this.config.subjectIdKey, identifier)],
    ]);
    return rows[0]?.subject_id;
  }

  /**
   * Removes every link to the subject, in the caller's transaction (erasure); returns the keys
   * that were linked, for the copies erasure must find by them.
   */
  async unlink(subjectId: string, client: PoolClient): Promise<string[]> {
    const { rows } = await client.query<{ identifier_key: string }>(UNLINK, [subjectId]);
    return rows.map((row) => row.identifier_key);
  }
}
