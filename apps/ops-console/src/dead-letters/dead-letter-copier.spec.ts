import type { EachMessagePayload, Kafka } from 'kafkajs';
import type { BackboneConfig } from '@backbone/config';
import type { TopicNames } from '@backbone/contracts';
import type { Directory } from '@backbone/directory';
import { opsConsoleMetrics } from '../metrics/ops-console-metrics';
import { DeadLetterCopier } from './dead-letter-copier';
import type { DeadLetters, NewDeadLetter } from './dead-letters.store';

const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

/** A copier whose store answers each add from `answers`, in order, recording what it was given. */
function copierWith(answers: (Error | undefined)[]) {
  const added: NewDeadLetter[] = [];
  const store = {
    add: async (letter: NewDeadLetter) => {
      const answer = answers.shift();
      if (answer) throw answer;
      added.push(letter);
      return true;
    },
  } as unknown as DeadLetters;
  const directory = { agency: () => undefined } as unknown as Directory;
  const copier = new DeadLetterCopier({} as Kafka, {} as TopicNames, directory, store, {
    subjectIdKey: 'spec-key',
  } as BackboneConfig);
  const copy = (copier as unknown as { copy(p: EachMessagePayload): Promise<void> }).copy.bind(
    copier,
  );
  const payload = {
    topic: 'dl',
    partition: 0,
    message: { key: null, value: Buffer.from('{}'), offset: '3', timestamp: '0', headers: {} },
  } as unknown as EachMessagePayload;
  return { added, copy: () => copy(payload) };
}

const isolated = async (outcome: string) =>
  (await opsConsoleMetrics.recordsIsolated.get()).values.find(
    (v) => v.labels.follower === 'dead-letters' && v.labels.outcome === outcome,
  )?.value ?? 0;

describe('dead-letter copier isolating a record PostgreSQL refuses', () => {
  it('stores it bare, with why, when its full row is refused', async () => {
    const before = await isolated('stored_bare');
    const { added, copy } = copierWith([pgError('22021')]);
    await copy();
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ offset: '3', reason: expect.stringContaining('22021') });
    expect(await isolated('stored_bare')).toBe(before + 1);
  });

  it('skips it, logged and counted, when even the bare row is refused', async () => {
    const before = await isolated('skipped');
    const { added, copy } = copierWith([pgError('54000'), pgError('22P05')]);
    await expect(copy()).resolves.toBeUndefined();
    expect(added).toHaveLength(0);
    expect(await isolated('skipped')).toBe(before + 1);
  });

  it('holds on to it while the database is unreachable, to copy it once it is back', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const { copy } = copierWith([refused]);
    await expect(copy()).rejects.toBe(refused);
    const shutdown = pgError('57P01'); // admin_shutdown
    await expect(copierWith([shutdown]).copy()).rejects.toBe(shutdown);
  });
});
