// One person's referrals from different agencies meet under one pseudonymous subject, and no
// raw identifier ever reaches the database.
import { loadConfig } from '@backbone/config';
import { newSubjectIds } from '@backbone/domain';
import { freshTestDatabase } from '@backbone/testing/fresh-test-database';
import { SubjectRegistry } from './subject-registry';

describe('subject registry', () => {
  const db = freshTestDatabase({
    over: ({ pool }) => ({
      registry: new SubjectRegistry(pool, { ...loadConfig({}), subjectIdKey: 'test-key' }),
    }),
  });

  const cpr = { system: 'dk-cpr', value: '0101125678' };
  const school = { system: 'urn:randers:pupil', value: 'P-4471' };
  const nhs = { system: 'uk-nhs', value: '9434765919' };

  it('links identifiers that arrive together, so a later referral by either finds the same subject', async () => {
    const first = await db.registry.resolve([school, cpr]);
    expect(await db.registry.resolve([cpr])).toBe(first);
    expect(await db.registry.resolve([school])).toBe(first);
    expect(await db.registry.find(cpr)).toBe(first);
  });

  it('gives a different person a different subject, and finds nothing for an unseen identifier', async () => {
    const other = await db.registry.resolve([nhs]);
    expect(other).not.toBe(await db.registry.find(cpr));
    expect(await db.registry.find({ system: 'uk-nhs', value: '0000000000' })).toBeUndefined();
  });

  it('stores only keyed hashes of identifiers', async () => {
    const { rows } = await db.pool.query<{ identifier_key: string; subject_id: string }>(
      'SELECT * FROM subject_identifiers',
    );
    const stored = JSON.stringify(rows);
    for (const identifier of [cpr, school, nhs]) expect(stored).not.toContain(identifier.value);
  });

  it('agrees with itself when two deliveries register the same new person at once', async () => {
    const person = [{ system: 'uk-nino', value: 'QQ123456C' }];
    const ids = await Promise.all(Array.from({ length: 8 }, () => db.registry.resolve(person)));
    expect(new Set(ids).size).toBe(1);
  });

  it('gives a person referred again after an erasure a subject that was never erased', async () => {
    const person = [{ system: 'uk-nhs', value: '9990001112' }];
    const candidates = newSubjectIds(db.registry.keysOf(person)[0]);
    // What an erasure leaves: the data key destroyed, the identifier links gone.
    const erase = async (subjectId: string) => {
      await db.pool.query(
        `INSERT INTO subject_keys (key_id, subject_id, master_key_id, wrapped_key, erased_at, erased_by)
         VALUES (gen_random_uuid(), $1, 'test', NULL, now(), 'test-operator')`,
        [subjectId],
      );
      await db.pool.query('DELETE FROM subject_identifiers WHERE subject_id = $1', [subjectId]);
    };
    expect(await db.registry.resolve(person)).toBe(candidates[0]);
    await erase(candidates[0]);
    const again = await Promise.all(Array.from({ length: 4 }, () => db.registry.resolve(person)));
    expect(new Set(again)).toEqual(new Set([candidates[1]]));
    expect(await db.registry.find(person[0])).toBe(candidates[1]);
    await erase(candidates[1]);
    expect(await db.registry.resolve(person)).toBe(candidates[2]);
  });

  it('never merges two people: identifiers of two subjects get no subject, and nothing is linked', async () => {
    const first = [{ system: 'uk-nhs', value: '9990002223' }];
    const second = [{ system: 'dk-cpr', value: '0303035678' }];
    const unseen = { system: 'urn:randers:pupil', value: 'P-9001' };
    const firstSubject = await db.registry.resolve(first);
    const secondSubject = await db.registry.resolve(second);
    expect(await db.registry.resolve([unseen, ...first, ...second])).toBeNull();
    expect(await db.registry.find(first[0])).toBe(firstSubject);
    expect(await db.registry.find(second[0])).toBe(secondSubject);
    expect(await db.registry.find(unseen)).toBeUndefined();
    // Each still resolves alone, to its own subject.
    expect(await db.registry.resolve([unseen, ...second])).toBe(secondSubject);
    expect(await db.registry.resolve(first)).toBe(firstSubject);
  });

  it('answers concurrent deliveries that link one identifier to two people with one subject or none', async () => {
    for (let round = 0; round < 5; round++) {
      const shared = { system: 'uk-nhs', value: `shared-${round}` };
      const a = { system: 'uk-nhs', value: `a-${round}` };
      const b = { system: 'uk-nhs', value: `b-${round}` };
      const aSubject = await db.registry.resolve([a]);
      const bSubject = await db.registry.resolve([b]);
      const answers = await Promise.all([
        db.registry.resolve([shared, a]),
        db.registry.resolve([shared, b]),
      ]);
      const owner = await db.registry.find(shared);
      // The delivery that linked `shared` got its person; the other, meeting two people, none.
      expect(answers.filter((answer) => answer !== null)).toEqual([owner]);
      expect([aSubject, bSubject]).toContain(owner);
    }
  });
});
