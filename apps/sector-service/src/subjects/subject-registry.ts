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
// id), with every identifier not yet known linked to it.
const RESOLVE = `
  WITH chosen AS (
    SELECT COALESCE((${FIND.trim()}), (${NEVER_ERASED.trim()}), $2[1]) AS subject_id
  ), linked AS (
    INSERT INTO subject_identifiers (identifier_key, subject_id)
    SELECT unnest($1::text[]), (SELECT subject_id FROM chosen)
    ON CONFLICT (identifier_key) DO NOTHING
  )
  SELECT subject_id FROM chosen`;
const LINKS_OF = `
  SELECT identifier_key, subject_id, (extract(epoch FROM linked_at) * 1000000)::float8 AS linked_at
  FROM subject_identifiers WHERE identifier_key = ANY($1::text[])`;
const STORE_LINKS = `
  INSERT INTO subject_identifiers (identifier_key, subject_id)
  SELECT * FROM unnest($1::text[], $2::text[])
  ON CONFLICT (identifier_key) DO NOTHING`;

export interface Identifier {
  system: string;
  value: string;
}

/** Finds (or makes) the subject a person's identifiers belong to. */
export interface SubjectResolver {
  resolve(identifiers: Identifier[]): Promise<string>;
}

/**
 * Finds the pseudonymous subject a person's identifiers belong to, linking the ones that are
 * new. Raw identifiers never reach the database: only their keyed hashes do.
 */
@Injectable()
export class SubjectRegistry implements SubjectResolver {
  constructor(
    private readonly pool: Pool,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  async resolve(identifiers: Identifier[]): Promise<string> {
    const keys = this.keysOf(identifiers);
    // A new person's id derives from their first identifier, so two deliveries racing to
    // register the same person agree on it.
    const { rows } = await this.pool.query<{ subject_id: string }>(RESOLVE, [
      keys,
      newSubjectIds(keys[0]),
    ]);
    return rows[0].subject_id;
  }

  /** The keyed hashes that stand for these identifiers. */
  keysOf(identifiers: Identifier[]): string[] {
    return identifiers.map((identifier) => identifierKey(this.config.subjectIdKey, identifier));
  }

  /** The stored links of these identifier keys, with when each was made (epoch microseconds, exact in a double). */
  async linksOf(keys: string[]): Promise<Map<string, { subjectId: string; linkedAt: number }>> {
    const links = new Map<string, { subjectId: string; linkedAt: number }>();
    if (!keys.length) return links;
    const { rows } = await this.pool.query<{
      identifier_key: string;
      subject_id: string;
      linked_at: number;
    }>({ name: 'subject-links-of', text: LINKS_OF, values: [keys] });
    for (const row of rows) {
      links.set(row.identifier_key, { subjectId: row.subject_id, linkedAt: row.linked_at });
    }
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
}
