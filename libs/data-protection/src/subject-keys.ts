import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { Pool, PoolClient } from 'pg';
import { newDataKey } from './aes-gcm';
import { MasterKeyring } from './master-keyring';
import {
  DESTROY_KEY,
  INSERT_KEYS,
  KEYS_BY_ID,
  KEYS_BY_SUBJECT,
  KEY_FOR_SEALING,
  KEY_STATE,
  KeyRow,
} from './subject-keys.sql';

export interface SubjectKey {
  keyId: string;
  key: Buffer;
}

/** A key made for a subject that has none, to be stored in the caller's transaction. */
export interface DraftedKey extends SubjectKey {
  subjectId: string;
  masterKeyId: string;
  wrapped: Buffer;
}

/** Where sealing finds a subject's key. */
export interface SealingKeySource {
  forSealing(subjectId: string): Promise<SubjectKey>;
}

/** What opening a sealed value can find: the key, or that it was destroyed (or never existed). */
export type KeyForOpening = { state: 'present'; key: Buffer } | { state: 'erased' | 'unknown' };

/** New personal data cannot be recorded about a subject whose data was erased. */
export class SubjectErasedError extends Error {
  constructor(readonly subjectId: string) {
    super(
      `the personal data of subject ${subjectId} was erased: no new personal data may be recorded about them`,
    );
    this.name = 'SubjectErasedError';
  }
}

/**
 * How long an unwrapped key is reused without asking the database. Erasure forgets the key
 * at once in this process; other processes stop using it within this time.
 */
const OPENING_TTL_MS = 10_000;
const SEALING_TTL_MS = 60_000;
const CACHED_KEYS = 20_000;

const wrapContext = (keyId: string, subjectId: string): string =>
  `subject-key|${keyId}|${subjectId}`;

/**
 * Each subject's data key: made on first use, kept wrapped by the master key, destroyed on
 * erasure. Unwrapped keys are cached briefly so the hot paths rarely ask the database.
 */
@Injectable()
export class SubjectKeys {
  private readonly sealing = new LRUCache<string, SubjectKey>({
    max: CACHED_KEYS,
    ttl: SEALING_TTL_MS,
  });
  private readonly opening = new LRUCache<string, { subjectId: string; found: KeyForOpening }>({
    max: CACHED_KEYS,
    ttl: OPENING_TTL_MS,
  });

  constructor(
    private readonly pool: Pool,
    private readonly keyring: MasterKeyring,
  ) {}

  /** The subject's key, made and committed now if it has none (so no rollback can lose it). */
  async forSealing(subjectId: string): Promise<SubjectKey> {
    const cached = this.sealing.get(subjectId);
    if (cached) return cached;
    const keyId = randomUUID();
    const { masterKeyId, wrapped } = this.keyring.wrap(newDataKey(), wrapContext(keyId, subjectId));
    for (let attempt = 0; attempt < 3; attempt++) {
      const { rows } = await this.pool.query<KeyRow>({
        name: 'subject-key-for-sealing',
        text: KEY_FOR_SEALING,
        values: [keyId, subjectId, masterKeyId, wrapped],
      });
      if (!rows.length) continue; // another transaction made it in the meantime: read again
      const row = rows[0];
      if (!row.wrapped_key) throw new SubjectErasedError(subjectId);
      const key = { keyId: row.key_id, key: this.unwrap(row, subjectId) };
      this.sealing.set(subjectId, key);
      return key;
    }
    throw new Error(`could not read or make the data key of subject ${subjectId}`);
  }

  /**
   * The stored keys of these subjects, in one query for those not cached, without making any:
   * `erased` for a subject whose key was destroyed, nothing for one that has no key yet.
   */
  async storedForSealing(subjectIds: string[]): Promise<Map<string, SubjectKey | 'erased'>> {
    const found = new Map<string, SubjectKey | 'erased'>();
    const missing: string[] = [];
    for (const subjectId of new Set(subjectIds)) {
      const cached = this.sealing.get(subjectId);
      if (cached) found.set(subjectId, cached);
      else missing.push(subjectId);
    }
    if (!missing.length) return found;
    const { rows } = await this.pool.query<KeyRow & { subject_id: string }>({
      name: 'subject-keys-by-subject',
      text: KEYS_BY_SUBJECT,
      values: [missing],
    });
    for (const row of rows) {
      if (!row.wrapped_key) {
        found.set(row.subject_id, 'erased');
        continue;
      }
      const key = { keyId: row.key_id, key: this.unwrap(row, row.subject_id) };
      this.sealing.set(row.subject_id, key);
      found.set(row.subject_id, key);
    }
    return found;
  }

  /** A new key for a subject that has none, wrapped, not yet stored (see `storeDrafted`). */
  draft(subjectId: string): DraftedKey {
    const keyId = randomUUID();
    const key = newDataKey();
    const { masterKeyId, wrapped } = this.keyring.wrap(key, wrapContext(keyId, subjectId));
    return { keyId, key, subjectId, masterKeyId, wrapped };
  }

  /**
   * Stores drafted keys in the caller's transaction. False when another transaction stored a
   * key for one of the subjects first: data sealed with the draft must then not be committed.
   * Call `remember` once the transaction has committed.
   */
  async storeDrafted(drafts: DraftedKey[], client: PoolClient): Promise<boolean> {
    if (!drafts.length) return true;
    // Sorted, so that concurrent transactions take the subjects' locks in one order.
    drafts = [...drafts].sort((a, b) => (a.subjectId < b.subjectId ? -1 : 1));
    // Named: every group of referral commands stores its keys with it.
    const { rowCount } = await client.query({
      name: 'subject-keys.insert-drafted',
      text: INSERT_KEYS,
      values: [
        drafts.map((d) => d.keyId),
        drafts.map((d) => d.subjectId),
        drafts.map((d) => d.masterKeyId),
        drafts.map((d) => d.wrapped),
      ],
    });
    return rowCount === drafts.length;
  }

  /**
   * Caches keys that a committed transaction stored, for sealing and for opening: the publisher
   * of the same process opens the events sealed with them moments later, without a query.
   */
  remember(drafts: DraftedKey[]): void {
    for (const { subjectId, keyId, key } of drafts) {
      this.sealing.set(subjectId, { keyId, key });
      this.opening.set(keyId, { subjectId, found: { state: 'present', key } });
    }
  }

  /** The keys with these ids, in one query for those not cached. */
  async forOpening(keyIds: Iterable<string>): Promise<Map<string, KeyForOpening>> {
    const found = new Map<string, KeyForOpening>();
    const missing: string[] = [];
    for (const keyId of new Set(keyIds)) {
      const cached = this.opening.get(keyId);
      if (cached) found.set(keyId, cached.found);
      else missing.push(keyId);
    }
    if (!missing.length) return found;
    const { rows } = await this.pool.query<KeyRow & { subject_id: string }>({
      name: 'subject-keys-by-id',
      text: KEYS_BY_ID,
      values: [missing],
    });
    for (const row of rows) {
      const entry: KeyForOpening = row.wrapped_key
        ? { state: 'present', key: this.unwrap(row, row.subject_id) }
        : { state: 'erased' };
      this.opening.set(row.key_id, { subjectId: row.subject_id, found: entry });
      found.set(row.key_id, entry);
    }
    for (const keyId of missing) if (!found.has(keyId)) found.set(keyId, { state: 'unknown' });
    return found;
  }

  /**
   * Destroys the subject's key inside the caller's transaction (the row stays, marked erased).
   * Call `forget` once the transaction has committed.
   */
  async destroy(
    subjectId: string,
    erasedBy: string,
    client: PoolClient,
  ): Promise<'destroyed' | 'already-erased' | 'unknown'> {
    const { rows } = await client.query<{ erased_at: Date | null }>(KEY_STATE, [subjectId]);
    if (!rows.length) return 'unknown';
    if (rows[0].erased_at) return 'already-erased';
    await client.query(DESTROY_KEY, [subjectId, erasedBy]);
    return 'destroyed';
  }

  /** Drops every cached copy of the subject's key in this process. */
  forget(subjectId: string): void {
    this.sealing.delete(subjectId);
    for (const [keyId, entry] of this.opening.entries()) {
      if (entry.subjectId === subjectId) this.opening.delete(keyId);
    }
  }

  private unwrap(row: KeyRow, subjectId: string): Buffer {
    if (!row.wrapped_key) throw new SubjectErasedError(subjectId);
    return this.keyring.unwrap(
      { masterKeyId: row.master_key_id, wrapped: row.wrapped_key },
      wrapContext(row.key_id, subjectId),
    );
  }
}
