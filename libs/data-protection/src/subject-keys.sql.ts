// The statements of the subject key table (migrations/1764345600030_subject-keys.sql).

/**
 * The subject's key, made now if it has none. Under READ COMMITTED the second branch reads the
 * statement's snapshot: when a concurrent transaction made the key first, neither branch sees
 * it and the caller asks again.
 */
export const KEY_FOR_SEALING = `
  WITH created AS (
    INSERT INTO subject_keys (key_id, subject_id, master_key_id, wrapped_key)
    VALUES ($1, $2, $3, $4)
    ON CONFLICT (subject_id) DO NOTHING
    RETURNING key_id, master_key_id, wrapped_key
  )
  SELECT key_id, master_key_id, wrapped_key FROM created
  UNION ALL
  SELECT key_id, master_key_id, wrapped_key FROM subject_keys WHERE subject_id = $2
  LIMIT 1`;

export const KEYS_BY_SUBJECT = `
  SELECT key_id, subject_id, master_key_id, wrapped_key FROM subject_keys
  WHERE subject_id = ANY($1::text[])`;

/** Keys made for a transaction's subjects; a row not inserted was made by someone else meanwhile. */
export const INSERT_KEYS = `
  INSERT INTO subject_keys (key_id, subject_id, master_key_id, wrapped_key)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bytea[])
  ON CONFLICT (subject_id) DO NOTHING`;

export const KEYS_BY_ID = `
  SELECT key_id, subject_id, master_key_id, wrapped_key FROM subject_keys
  WHERE key_id = ANY($1::uuid[])`;

/** Destroys the key; the row (and the fact of erasure) stays. Returns nothing if already erased. */
export const DESTROY_KEY = `
  UPDATE subject_keys SET wrapped_key = NULL, erased_at = now(), erased_by = $2
  WHERE subject_id = $1 AND wrapped_key IS NOT NULL
  RETURNING key_id`;

/** Whether the subject has a key row, destroyed or not, and when it was erased. */
export const KEY_STATE = `
  SELECT erased_at FROM subject_keys WHERE subject_id = $1 FOR UPDATE`;

export interface KeyRow {
  key_id: string;
  subject_id?: string;
  master_key_id: string;
  wrapped_key: Buffer | null;
}
