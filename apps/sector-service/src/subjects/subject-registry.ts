import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { identifierKey, newSubjectId } from '@backbone/domain';

const FIND = `
  SELECT subject_id FROM subject_identifiers WHERE identifier_key = ANY($1::text[])
  ORDER BY linked_at, subject_id LIMIT 1`;
// One round trip on every referral made: the subject the identifiers already have (else the
// proposed new id), with every identifier not yet known linked to it.
const RESOLVE = `
  WITH chosen AS (
    SELECT COALESCE((${FIND.trim()}), $2) AS subject_id
  ), linked AS (
    INSERT INTO subject_identifiers (identifier_key, subject_id)
    SELECT unnest($1::text[]), (SELECT subject_id FROM chosen)
    ON CONFLICT (identifier_key) DO NOTHING
  )
  SELECT subject_id FROM chosen`;

/**
 * Finds the pseudonymous subject a person's identifiers belong to, linking the ones that are
 * new. Raw identifiers never reach the database: only their keyed hashes do.
 */
@Injectable()
export class SubjectRegistry {
  constructor(
    private readonly pool: Pool,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  async resolve(identifiers: { system: string; value: string }[]): Promise<string> {
    const keys = identifiers.map((identifier) =>
      identifierKey(this.config.subjectIdKey, identifier),
    );
    // A new person's id derives from their first identifier, so two deliveries racing to
    // register the same person agree on it.
    const { rows } = await this.pool.query<{ subject_id: string }>(RESOLVE, [
      keys,
      newSubjectId(keys[0]),
    ]);
    return rows[0].subject_id;
  }

  /** The subject an identifier maps to, without registering anything (for auditors). */
  async find(identifier: { system: string; value: string }): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ subject_id: string }>(FIND, [
      [identifierKey(this.config.subjectIdKey, identifier)],
    ]);
    return rows[0]?.subject_id;
  }
}
