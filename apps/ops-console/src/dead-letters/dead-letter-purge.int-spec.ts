// The dead letters' copies in PostgreSQL leave on a schedule and with the people they name:
// copies past DEAD_LETTER_COPY_RETENTION_MS are deleted by the purge, copies made before ties
// were recorded get them, and erasing a person deletes the copies tied to them in the same
// transaction, whether by an identifier's keyed hash or by one of their referrals.
import { randomBytes, randomUUID } from 'node:crypto';
import { loadConfig } from '@backbone/config';
import {
  ErasureSteps,
  MasterKeyring,
  SubjectErasure,
  SubjectKeys,
  SubjectRegistry,
  parseMasterKey,
} from '@backbone/data-protection';
import { PostgresEventStore } from '@backbone/event-store';
import { eventually } from '@backbone/testing/eventually';
import { freshTestDatabase } from '@backbone/testing/fresh-test-database';
import { testConfig } from '@backbone/testing/test-stack';
import { opsConsoleMetrics } from '../metrics/ops-console-metrics';
import { DeadLetterErasure } from './dead-letter-erasure';
import { DeadLetterPurge } from './dead-letter-purge';
import { tiesOf } from './dead-letter-ties';
import { DeadLetters, NewDeadLetter } from './dead-letters.store';

const RETENTION_MS = 60 * 60_000;
const NHS = { system: 'uk-nhs', value: `94${randomBytes(3).toString('hex')}` };

const letterOf = (value: string, deadLetteredAt: Date): NewDeadLetter => ({
  deadLetterId: randomUUID(),
  topic: 'referrals.dead-letter',
  partition: 0,
  offset: String(Math.floor(Math.random() * 1e9)),
  reason: 'not JSON',
  key: null,
  value: Buffer.from(value),
  preview: { format: 'not-json', bytes: value.length },
  deadLetteredAt,
});

const purged = async (reason: string) =>
  (await opsConsoleMetrics.deadLettersPurged.get()).values.find((v) => v.labels.reason === reason)
    ?.value ?? 0;

describe('dead letters leaving the console', () => {
  const db = freshTestDatabase();
  const config = () => {
    const base = testConfig(db.url);
    return { ...base, retention: { ...base.retention, deadLetterCopiesMs: RETENTION_MS } };
  };
  const ids = async (): Promise<string[]> =>
    (await db.pool.query<{ id: string }>('SELECT dead_letter_id AS id FROM dead_letters')).rows
      .map((row) => row.id)
      .sort();
  const tiesInTable = async (id: string) =>
    (
      await db.pool.query<{ identifier_keys: string[] | null; stream_ids: string[] | null }>(
        'SELECT identifier_keys, stream_ids FROM dead_letters WHERE dead_letter_id = $1',
        [id],
      )
    ).rows[0];

  it('deletes the copies past their retention, and ties the copies made before ties were kept', async () => {
    const store = new DeadLetters(db.pool);
    const key = config().subjectIdKey;
    const old = letterOf('garbage', new Date(Date.now() - RETENTION_MS - 60_000));
    const fresh = letterOf('garbage', new Date());
    const named = `{"system":"${NHS.system}","value":"${NHS.value}"`;
    const beforeTies = letterOf(named, new Date());
    await store.add(old, tiesOf(old.value, key));
    await store.add(fresh, tiesOf(fresh.value, key));
    await store.add(beforeTies, { identifierKeys: [], streamIds: [] });
    // As a row copied before migration …_dead-letter-ties holds them: not looked at.
    await db.pool.query(
      'UPDATE dead_letters SET identifier_keys = NULL, stream_ids = NULL WHERE dead_letter_id = $1',
      [beforeTies.deadLetterId],
    );
    const countedBefore = await purged('retention');

    const purge = new DeadLetterPurge(db.pool, store, config());
    purge.onApplicationBootstrap();
    try {
      await eventually(
        async () => ((await ids()).includes(old.deadLetterId) ? undefined : true),
        'the old copy deleted',
      );
      await eventually(
        async () =>
          (await tiesInTable(beforeTies.deadLetterId)).identifier_keys ? true : undefined,
        'the older copy tied',
      );
    } finally {
      await purge.onApplicationShutdown();
    }
    expect(await ids()).toEqual([fresh.deadLetterId, beforeTies.deadLetterId].sort());
    expect(await purged('retention')).toBe(countedBefore + 1);
    expect(await tiesInTable(beforeTies.deadLetterId)).toEqual({
      identifier_keys: tiesOf(beforeTies.value, key).identifierKeys,
      stream_ids: [],
    });
    // Keyed hashes only: the identifier is in the record, never in the ties.
    expect(JSON.stringify(await tiesInTable(beforeTies.deadLetterId))).not.toContain(NHS.value);
  });

  it('deletes the copies tied to a person when that person is erased, and only those', async () => {
    await db.pool.query('DELETE FROM dead_letters');
    const cfg = config();
    const store = new DeadLetters(db.pool);
    const keys = new SubjectKeys(
      db.pool,
      new MasterKeyring(parseMasterKey(cfg.masterKey, 'BACKBONE_MASTER_KEY')),
    );
    const registry = new SubjectRegistry(db.pool, cfg);
    const steps = new ErasureSteps();
    new DeadLetterErasure(steps, store).onModuleInit();
    const erasure = new SubjectErasure(
      db.pool,
      new PostgresEventStore(db.pool),
      keys,
      registry,
      steps,
    );

    const subjectId = (await registry.resolve([NHS])) as string;
    await keys.forSealing(subjectId);
    const referralId = randomUUID();
    // The referral that names them, as the sector service records it.
    await new PostgresEventStore(db.pool).appendToStream(`referral-${referralId}`, 'no-stream', [
      {
        eventId: randomUUID(),
        type: 'referral.made.v1',
        data: { referralId, subjectId },
        metadata: {},
      },
    ]);
    const byIdentifier = letterOf(
      JSON.stringify({ data: { subject: { identifiers: [NHS] } } }),
      new Date(),
    );
    const byReferral = letterOf(
      JSON.stringify({ type: 'referral.note.v1', data: { referralId, text: 'x' } }),
      new Date(),
    );
    const someoneElse = letterOf(
      JSON.stringify({ data: { subject: { identifiers: [{ system: 'uk-nhs', value: '1' }] } } }),
      new Date(),
    );
    for (const letter of [byIdentifier, byReferral, someoneElse])
      await store.add(letter, tiesOf(letter.value, cfg.subjectIdKey));
    const countedBefore = await purged('erasure');

    const result = await erasure.erase({
      subjectId,
      operatorId: 'ops-team',
      commandId: randomUUID(),
      correlationId: randomUUID(),
    });

    expect(result.kind).toBe('erased');
    expect(await ids()).toEqual([someoneElse.deadLetterId]);
    expect(await purged('erasure')).toBe(countedBefore + 2);
  });

  it('keeps every copy while the retention is -1 (development only)', async () => {
    await db.pool.query('DELETE FROM dead_letters');
    const store = new DeadLetters(db.pool);
    const old = letterOf('garbage', new Date(0));
    await store.add(old, { identifierKeys: [], streamIds: [] });
    const forEver = loadConfig({ DEAD_LETTER_COPY_RETENTION_MS: '-1' }).retention;
    const purge = new DeadLetterPurge(db.pool, store, { ...config(), retention: forEver });
    purge.onApplicationBootstrap();
    // The purge's first round runs as soon as it holds its lock: wait until it does.
    await eventually(async () => {
      const { rows } = await db.pool.query(
        `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      return rows.length ? true : undefined;
    }, 'the purge active');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await purge.onApplicationShutdown();
    expect(await ids()).toEqual([old.deadLetterId]);
  });
});
