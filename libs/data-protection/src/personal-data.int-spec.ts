// Per-subject encryption against the real store: what is stored is ciphertext, erasure leaves
// every history replayable and verifiable, rotation keeps old data readable, tampering shows.
import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { NewEvent, PostgresEventStore } from '@backbone/event-store';
import { TestDatabase, createTestDatabase, testConfig } from '@backbone/testing/test-stack';
import { ErasedSubject, ErasureSteps } from './erasure-steps';
import { MasterKeyring, parseMasterKey } from './master-keyring';
import { PersonalDataOpener, PersonalDataSealer } from './personal-data.services';
import { ERASED, UNREADABLE, isSealed } from './sealed-value';
import { SubjectErasure } from './subject-erasure';
import { SubjectErasedError, SubjectKeys } from './subject-keys';
import { SubjectRegistry } from './subject-registry';

const masterKey = (id: string) =>
  parseMasterKey(`${id}:${randomBytes(32).toString('base64')}`, 'X');

/** A referral story's events about `subjectId`, with plaintext that is easy to search for. */
function storyOf(subjectId: string, marker: string): NewEvent[] {
  const referralId = randomUUID();
  return [
    {
      eventId: randomUUID(),
      type: 'referral.made.v1',
      data: {
        referralId,
        from: 'randers-school',
        to: 'randers-social',
        reason: `${marker} reason`,
        subjectId,
        subject: {
          identifiers: [{ system: 'dk-cpr', value: `${marker}-cpr` }],
          birthDate: '2012-01-01',
        },
      },
      metadata: { actor: `${marker} actor`, subjectId },
    },
    {
      eventId: randomUUID(),
      type: 'referral.noted.v1',
      data: { referralId, by: 'randers-social', text: `${marker} note` },
      metadata: { subjectId },
    },
  ];
}

describe('personal data in the event store', () => {
  let database: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  const firstMasterKey = masterKey('m1');
  let keyring: MasterKeyring;
  let keys: SubjectKeys;
  let sealer: PersonalDataSealer;
  let opener: PersonalDataOpener;
  let erasure: SubjectErasure;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new Pool({ connectionString: database.url });
    store = new PostgresEventStore(pool);
    keyring = new MasterKeyring(firstMasterKey);
    keys = new SubjectKeys(pool, keyring);
    sealer = new PersonalDataSealer(keys);
    opener = new PersonalDataOpener(keys);
    const registry = new SubjectRegistry(pool, testConfig(database.url));
    erasure = new SubjectErasure(pool, store, keys, registry, new ErasureSteps());
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  const record = async (subjectId: string, marker: string) => {
    const streamId = `referral-${randomUUID()}`;
    const events = await sealer.seal(storyOf(subjectId, marker), streamId, subjectId);
    await store.appendToStream(streamId, 'no-stream', events);
    return streamId;
  };
  /** An erasure drawing on a pool of one connection that gives up waiting for it after 2 s. */
  const onOneConnection = async <T>(use: (erasure: SubjectErasure) => Promise<T>): Promise<T> => {
    const one = new Pool({
      connectionString: database.url,
      max: 1,
      connectionTimeoutMillis: 2_000,
    });
    const registry = new SubjectRegistry(one, testConfig(database.url));
    const keysOfOne = new SubjectKeys(one, keyring);
    try {
      return await use(
        new SubjectErasure(
          one,
          new PostgresEventStore(one),
          keysOfOne,
          registry,
          new ErasureSteps(),
        ),
      );
    } finally {
      await one.end();
    }
  };
  const storedText = async (): Promise<string> => {
    const { rows } = await pool.query('SELECT data::text, metadata::text FROM events');
    return JSON.stringify(rows);
  };

  it('stores only ciphertext, and opens it again for those entitled', async () => {
    const streamId = await record('subj-plain', 'Ingrid-Vestergaard');
    expect(await storedText()).not.toContain('Ingrid-Vestergaard');
    const { events } = await opener.open(await store.readStream(streamId));
    expect(events[0].data).toMatchObject({
      reason: 'Ingrid-Vestergaard reason',
      subject: { identifiers: [{ system: 'dk-cpr', value: 'Ingrid-Vestergaard-cpr' }] },
    });
    expect(events[0].metadata.actor).toBe('Ingrid-Vestergaard actor');
    expect(events[1].data.text).toBe('Ingrid-Vestergaard note');
  });

  it('erases: the history replays with [erased] fields, still verifies, and the key is gone', async () => {
    const streamId = await record('subj-erase', 'Karoline-Dahl');
    const other = await record('subj-keep', 'Magnus-Berg');
    const before = await store.readStream(streamId);
    const stolenKey = await keys.forSealing('subj-erase');
    await pool.query(
      `INSERT INTO subject_identifiers (identifier_key, subject_id) VALUES ('k-erase', 'subj-erase')`,
    );

    const erased = await erasure.erase({
      subjectId: 'subj-erase',
      operatorId: 'ops-team',
      commandId: randomUUID(),
      correlationId: randomUUID(),
    });
    expect(erased.kind).toBe('erased');

    const after = await store.readStream(streamId);
    expect(after).toEqual(before); // the stored history itself is untouched
    expect(await store.verifyStream(streamId)).toMatchObject({ valid: true, events: 2 });
    const { events, unreadable } = await opener.open(after);
    expect(unreadable).toEqual([]);
    expect(events[0].data).toMatchObject({
      reason: ERASED,
      subject: ERASED,
      from: 'randers-school',
    });
    expect(events[0].metadata.actor).toBe(ERASED);
    expect(events[1].data).toMatchObject({ text: ERASED, by: 'randers-social' });
    // Nothing left to open it with: the row keeps no key, and a fresh process finds none.
    const { rows } = await pool.query(
      'SELECT wrapped_key, erased_by FROM subject_keys WHERE subject_id = $1',
      ['subj-erase'],
    );
    expect(rows).toEqual([{ wrapped_key: null, erased_by: 'ops-team' }]);
    const fresh = new SubjectKeys(pool, keyring);
    expect((await fresh.forOpening([stolenKey.keyId])).get(stolenKey.keyId)).toEqual({
      state: 'erased',
    });
    await expect(fresh.forSealing('subj-erase')).rejects.toThrow(SubjectErasedError);
    // The person can no longer be found by an identifier; other people are untouched.
    expect(
      (await pool.query(`SELECT 1 FROM subject_identifiers WHERE subject_id = 'subj-erase'`))
        .rowCount,
    ).toBe(0);
    expect((await opener.open(await store.readStream(other))).events[1].data.text).toBe(
      'Magnus-Berg note',
    );
    // The erasure itself is on record, with no personal data.
    const [recorded] = await store.readStream('subject-subj-erase');
    expect(recorded).toMatchObject({
      type: 'subject.erased.v1',
      data: { subjectId: 'subj-erase', erasedBy: 'ops-team' },
    });
  });

  it('erases the copies other parts keep in its own transaction, found by identifier key and stream', async () => {
    const streamId = await record('subj-copies', 'Signe-Holm');
    await pool.query(
      `INSERT INTO subject_identifiers (identifier_key, subject_id) VALUES ('k-copies', 'subj-copies')`,
    );
    const steps = new ErasureSteps();
    const seen: ErasedSubject[] = [];
    const counted: number[] = [];
    const copies = {
      name: 'copies',
      eraseCopies: async (subject: ErasedSubject) => (seen.push(subject), 2),
      committed: (count: number) => void counted.push(count),
    };
    steps.add(copies);
    steps.add(copies); // registered once, however often a module starts
    const registry = new SubjectRegistry(pool, testConfig(database.url));
    const withCopies = new SubjectErasure(pool, store, keys, registry, steps);
    const order = { operatorId: 'ops-team', commandId: randomUUID(), correlationId: 'c' };

    expect((await withCopies.erase({ subjectId: 'subj-copies', ...order })).kind).toBe('erased');
    expect(seen).toEqual([
      { subjectId: 'subj-copies', identifierKeys: ['k-copies'], streamIds: [streamId] },
    ]);
    expect(counted).toEqual([2]);

    // A step that fails undoes the whole erasure: the key stays, and it can be ordered again.
    await record('subj-copy-fails', 'Villads-Krog');
    const failing = new ErasureSteps();
    failing.add({
      name: 'broken',
      eraseCopies: () => Promise.reject(new Error('copies unreachable')),
      committed: () => void counted.push(-1),
    });
    const broken = new SubjectErasure(pool, store, keys, registry, failing);
    await expect(
      broken.erase({ subjectId: 'subj-copy-fails', ...order, commandId: randomUUID() }),
    ).rejects.toThrow('copies unreachable');
    expect(counted).toEqual([2]);
    await expect(
      new SubjectKeys(pool, keyring).forSealing('subj-copy-fails'),
    ).resolves.toBeDefined();
    expect(await store.readStream('subject-subj-copy-fails')).toEqual([]);
  });

  it('answers a repeated erasure command with its first outcome, and refuses a second erasure', async () => {
    await record('subj-twice', 'Otto-Krag');
    const order = {
      subjectId: 'subj-twice',
      operatorId: 'ops-team',
      commandId: randomUUID(),
      correlationId: 'c',
    };
    const first = await erasure.erase(order);
    expect(await erasure.erase(order)).toEqual(first);
    expect(await erasure.erase({ ...order, commandId: randomUUID() })).toMatchObject({
      kind: 'rejected',
      code: 'INVALID_TRANSITION',
    });
    expect(await store.readStream('subject-subj-twice')).toHaveLength(1);
    expect(
      await erasure.erase({ ...order, subjectId: 'subj-never-seen', commandId: randomUUID() }),
    ).toMatchObject({ kind: 'rejected', code: 'NOT_FOUND' });
  });

  it('answers a repeated erasure once its transaction has ended: a one-connection pool answers', async () => {
    // The first outcome was read on a second connection of the pool while the subject's key row
    // was held: with none free it waited (here, until the pool's timeout).
    await record('subj-again', 'Ebba-Lund');
    const order = {
      subjectId: 'subj-again',
      operatorId: 'ops-team',
      commandId: randomUUID(),
      correlationId: 'c',
    };
    const first = await erasure.erase(order);
    expect(await onOneConnection((one) => one.erase(order))).toEqual(first);
    expect(
      await onOneConnection((one) => one.erase({ ...order, commandId: randomUUID() })),
    ).toMatchObject({ kind: 'rejected', code: 'INVALID_TRANSITION' });
  });

  it("refuses a command id used for another subject's erasure: a one-connection pool answers", async () => {
    // The store looked the reused event id up on a second connection of the pool while the
    // erasure's transaction held its locks: with none free it waited.
    await record('subj-first', 'Alma-Friis');
    await record('subj-second', 'Carl-Juhl');
    const order = { operatorId: 'ops-team', commandId: randomUUID(), correlationId: 'c' };
    expect((await erasure.erase({ subjectId: 'subj-first', ...order })).kind).toBe('erased');
    expect(
      await onOneConnection((one) => one.erase({ subjectId: 'subj-second', ...order })),
    ).toMatchObject({ kind: 'rejected', code: 'DUPLICATE' });
    // Undone whole: the second person's key and history stay as they were.
    await expect(new SubjectKeys(pool, keyring).forSealing('subj-second')).resolves.toBeDefined();
    expect(await store.readStream('subject-subj-second')).toEqual([]);
  });

  it('reads events sealed before and after a master key rotation', async () => {
    const before = await record('subj-rotate-1', 'Before-Rotation');
    const rotated = new MasterKeyring(masterKey('m2'), [firstMasterKey]);
    const afterKeys = new SubjectKeys(pool, rotated);
    const afterSealer = new PersonalDataSealer(afterKeys);
    const streamId = `referral-${randomUUID()}`;
    await store.appendToStream(
      streamId,
      'no-stream',
      await afterSealer.seal(storyOf('subj-rotate-2', 'After-Rotation'), streamId, 'subj-rotate-2'),
    );
    const { rows } = await pool.query(
      `SELECT subject_id, master_key_id FROM subject_keys WHERE subject_id LIKE 'subj-rotate-%' ORDER BY 1`,
    );
    expect(rows).toEqual([
      { subject_id: 'subj-rotate-1', master_key_id: 'm1' },
      { subject_id: 'subj-rotate-2', master_key_id: 'm2' },
    ]);
    const rotatedOpener = new PersonalDataOpener(afterKeys);
    const opened = await rotatedOpener.open([
      ...(await store.readStream(before)),
      ...(await store.readStream(streamId)),
    ]);
    expect(opened.events.map((event) => event.data.text ?? event.data.reason)).toEqual([
      'Before-Rotation reason',
      'Before-Rotation note',
      'After-Rotation reason',
      'After-Rotation note',
    ]);
  });

  it('detects a ciphertext altered in SQL, by GCM authentication and by the hash chain', async () => {
    const streamId = await record('subj-tamper', 'Tamper-Target');
    const [made] = await store.readStream(streamId);
    const sealed = made.data.reason as string;
    expect(isSealed(sealed)).toBe(true);
    const altered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    await pool.query(
      `UPDATE events SET data = jsonb_set(data::jsonb, '{reason}', to_jsonb($2::text))::json WHERE event_id = $1`,
      [made.eventId, altered],
    );
    const { events, unreadable } = await opener.open(await store.readStream(streamId));
    expect(events[0].data.reason).toBe(UNREADABLE);
    expect(unreadable).toEqual([`${made.eventId}: data.reason`]);
    expect(await store.verifyStream(streamId)).toMatchObject({ valid: false, firstBrokenAt: 1 });
  });

  it('opens a ciphertext only in the stream and event it was sealed for', async () => {
    const streamId = await record('subj-bound', 'Bound-Value');
    const [made] = await store.readStream(streamId);
    // Into the same field (`reason`), so only the stream and event binding can refuse it.
    const copied = (eventId: string) => ({
      eventId,
      type: 'referral.held.v1',
      data: { referralId: made.data.referralId, reason: made.data.reason },
      metadata: { subjectId: 'subj-bound' },
    });
    // The same ciphertext stored again, as if by someone who copied it: in the same stream and
    // in another one of the same person (same key), it opens in neither.
    const other = `referral-${randomUUID()}`;
    await store.appendToStream(streamId, 2, [copied(randomUUID())]);
    await store.appendToStream(other, 'no-stream', [copied(randomUUID())]);
    for (const id of [streamId, other]) {
      const { events, unreadable } = await opener.open(await store.readStream(id));
      const last = events.at(-1) as (typeof events)[number];
      expect(last.data.reason).toBe(UNREADABLE);
      expect(unreadable).toEqual([`${last.eventId}: data.reason`]);
      expect(await store.verifyStream(id)).toMatchObject({ valid: true });
    }
    expect((await opener.open([made])).events[0].data.reason).toBe('Bound-Value reason');
  });
});
