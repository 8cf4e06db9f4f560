// A batch's subjects, resolved together, get the answers one-by-one resolution would give, and
// their links are written only with the batch's transaction.
import { randomUUID } from 'node:crypto';
import { loadConfig } from '@backbone/config';
import { inTransaction } from '@backbone/database';
import { freshTestDatabase } from '@backbone/testing/fresh-test-database';
import { SubjectRegistry } from '@backbone/data-protection';
import { TransactionSubjects } from './transaction-subjects';

describe('subjects resolved for one transaction', () => {
  const db = freshTestDatabase({
    over: ({ pool }) => ({
      registry: new SubjectRegistry(pool, { ...loadConfig({}), subjectIdKey: 'test-key' }),
    }),
  });

  const person = () => ({ system: 'uk-nhs', value: randomUUID() });
  const linkCount = async () =>
    (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM subject_identifiers'))
      .rows[0].n;

  it('answers as one-by-one resolution would, links included, with one read and one write', async () => {
    const known = person();
    const knownSubject = await db.registry.resolve([known]);
    const [x, y, z] = [person(), person(), person()];
    const before = await linkCount();
    const reads = jest.spyOn(db.registry, 'linksOf');

    const batch = new TransactionSubjects(db.registry);
    const answers = await Promise.all([
      batch.resolve([x]),
      batch.resolve([y, x]), // meets x, resolved earlier in the same batch
      batch.resolve([z, known]), // meets a stored person
      batch.resolve([z]),
    ]);
    expect(reads).toHaveBeenCalledTimes(1);
    reads.mockRestore();
    expect(answers[1]).toBe(answers[0]);
    expect(answers[2]).toBe(knownSubject);
    expect(answers[3]).toBe(knownSubject);
    expect(new Set(answers).size).toBe(2);
    expect(await linkCount()).toBe(before); // nothing written outside the transaction

    await inTransaction(db.pool, async (client) => expect(await batch.store(client)).toBe(true));
    expect(await linkCount()).toBe(before + 3);
    for (const [identifier, subject] of [
      [x, answers[0]],
      [y, answers[0]],
      [z, knownSubject],
    ] as const) {
      expect(await db.registry.find(identifier)).toBe(subject);
    }
  });

  it('refuses to store links when another transaction linked one of the identifiers first', async () => {
    const shared = person();
    const batch = new TransactionSubjects(db.registry);
    const mine = await batch.resolve([person(), shared]);
    const theirs = await db.registry.resolve([person(), shared]);
    expect(theirs).not.toBe(mine);

    await inTransaction(db.pool, async (client) => expect(await batch.store(client)).toBe(false));
    expect(await db.registry.find(shared)).toBe(theirs);
  });

  it('gives identifiers that belong to two people, stored or drafted, no subject and links nothing', async () => {
    const known = person();
    const knownSubject = await db.registry.resolve([known]);
    const [x, y, unseen] = [person(), person(), person()];
    const before = await linkCount();

    const batch = new TransactionSubjects(db.registry);
    const answers = await Promise.all([
      batch.resolve([x]),
      batch.resolve([y]),
      batch.resolve([unseen, x, y]), // two people drafted in this batch
      batch.resolve([unseen, x, known]), // a drafted person and a stored one
      batch.resolve([unseen]),
    ]);
    expect(answers[2]).toBeNull();
    expect(answers[3]).toBeNull();
    expect(answers[4]).not.toBe(answers[0]);
    expect(new Set([answers[0], answers[1], answers[4], knownSubject]).size).toBe(4);

    await inTransaction(db.pool, async (client) => expect(await batch.store(client)).toBe(true));
    expect(await linkCount()).toBe(before + 3);
    expect(await db.registry.find(unseen)).toBe(answers[4]);
  });
});
