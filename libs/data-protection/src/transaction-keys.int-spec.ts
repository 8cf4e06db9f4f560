// Keys made for a batch are stored in the batch's own transaction: readable by anyone once it
// commits, gone without trace if it rolls back, and refused if someone else keyed the subject
// first (data sealed with the draft must not be committed).
import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { inTransaction } from '@backbone/database';
import { TestDatabase, createTestDatabase } from '@backbone/testing/test-stack';
import { MasterKeyring, parseMasterKey } from './master-keyring';
import { SubjectErasedError, SubjectKeys } from './subject-keys';
import { TransactionKeys } from './transaction-keys';

describe('keys for one transaction', () => {
  let database: TestDatabase;
  let pool: Pool;
  let keyring: MasterKeyring;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new Pool({ connectionString: database.url });
    keyring = new MasterKeyring(parseMasterKey(`m1:${randomBytes(32).toString('base64')}`, 'X'));
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  const storedKeys = async (subjectIds: string[]) =>
    (
      await pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM subject_keys WHERE subject_id = ANY($1)',
        [subjectIds],
      )
    ).rows[0].n;

  it('reads stored keys, drafts the missing ones, and stores those with the transaction', async () => {
    const keys = new SubjectKeys(pool, keyring);
    const known = `subj-${randomUUID()}`;
    const existing = await keys.forSealing(known);
    const fresh = [`subj-${randomUUID()}`, `subj-${randomUUID()}`];

    const batch = new TransactionKeys(keys);
    await batch.load([known, ...fresh]);
    expect(await batch.forSealing(known)).toEqual(existing);
    const drafted = await Promise.all(fresh.map((id) => batch.forSealing(id)));
    expect(await storedKeys(fresh)).toBe(0); // nothing written before the transaction

    await inTransaction(pool, async (client) => expect(await batch.store(client)).toBe(true));
    batch.committed();
    // This process opens with them at once, without asking the database.
    const asked = jest.spyOn(pool, 'query');
    const openedHere = await keys.forOpening(drafted.map((k) => k.keyId));
    expect(asked).not.toHaveBeenCalled();
    asked.mockRestore();
    for (const { keyId, key } of drafted) {
      expect(openedHere.get(keyId)).toEqual({ state: 'present', key });
    }
    // Another process, with nothing cached, opens with exactly the drafted keys.
    const elsewhere = new SubjectKeys(pool, keyring);
    const opened = await elsewhere.forOpening(drafted.map((k) => k.keyId));
    for (const { keyId, key } of drafted) {
      expect(opened.get(keyId)).toEqual({ state: 'present', key });
    }
    expect(await elsewhere.forSealing(fresh[0])).toEqual({
      keyId: drafted[0].keyId,
      key: drafted[0].key,
    });
  });

  it('leaves no key behind when the transaction rolls back', async () => {
    const batch = new TransactionKeys(new SubjectKeys(pool, keyring));
    const subjectId = `subj-${randomUUID()}`;
    await batch.load([subjectId]);
    await expect(
      inTransaction(pool, async (client) => {
        await batch.store(client);
        throw new Error('the batch failed');
      }),
    ).rejects.toThrow('the batch failed');
    expect(await storedKeys([subjectId])).toBe(0);
  });

  it('refuses to store a draft for a subject another transaction keyed meanwhile', async () => {
    const keys = new SubjectKeys(pool, keyring);
    const subjectId = `subj-${randomUUID()}`;
    const batch = new TransactionKeys(keys);
    await batch.load([subjectId]);
    const winner = await new SubjectKeys(pool, keyring).forSealing(subjectId);

    await inTransaction(pool, async (client) => expect(await batch.store(client)).toBe(false));
    expect(await new SubjectKeys(pool, keyring).forSealing(subjectId)).toEqual(winner);
  });

  it('refuses an erased subject', async () => {
    const keys = new SubjectKeys(pool, keyring);
    const subjectId = `subj-${randomUUID()}`;
    await keys.forSealing(subjectId);
    await inTransaction(pool, (client) => keys.destroy(subjectId, 'operator-1', client));
    keys.forget(subjectId);
    await expect(new TransactionKeys(keys).load([subjectId])).rejects.toBeInstanceOf(
      SubjectErasedError,
    );
  });
});
