// The deadline watcher against the real store: a missed decision deadline becomes one
// referral.overdue.v1, an accepted handover completes when its time comes, and a restart
// repeats nothing.
import { randomUUID } from 'node:crypto';
import { NewEvent, PostgresEventStore } from '@backbone/event-store';
import { eventually } from '@backbone/testing/eventually';
import { startDeadlineWatching } from '@backbone/testing/command-handling-app';
import { storedReferralMade } from '@backbone/testing/stored-referral-made';
import { freshTestDatabase } from '@backbone/testing/fresh-test-database';

const event = (type: string, data: Record<string, unknown>): NewEvent => ({
  eventId: randomUUID(),
  type,
  data,
  metadata: { parties: ['redbridge-gp-team', 'redbridge-adult-social-care'] },
});

describe('deadline watcher', () => {
  const db = freshTestDatabase();

  async function startWatcher() {
    const app = await startDeadlineWatching(db.url);
    return { store: app.get(PostgresEventStore), stop: () => app.close() };
  }

  const typesIn = async (store: PostgresEventStore, streamId: string) =>
    (await store.readStream(streamId)).map((e) => e.type);

  it('marks a referral overdue once, to both parties, and not again after a restart', async () => {
    const first = await startWatcher();
    const referralId = randomUUID();
    const streamId = `referral-${referralId}`;
    await first.store.appendToStream(streamId, 'no-stream', [
      storedReferralMade(referralId, new Date(Date.now() - 60_000).toISOString()),
    ]);
    await eventually(
      async () =>
        (await typesIn(first.store, streamId)).includes('referral.overdue.v1') ? true : undefined,
      'referral.overdue.v1',
    );
    const [overdue] = (await first.store.readStream(streamId)).filter(
      (e) => e.type === 'referral.overdue.v1',
    );
    expect(overdue.metadata).toMatchObject({
      actingAgency: 'backbone',
      parties: ['redbridge-gp-team', 'redbridge-adult-social-care'],
    });
    await first.stop();

    const second = await startWatcher();
    await new Promise((r) => setTimeout(r, 1_000));
    expect(
      (await typesIn(second.store, streamId)).filter((t) => t === 'referral.overdue.v1'),
    ).toHaveLength(1);
    await second.stop();
  });

  it('completes an accepted handover when its effective time comes, not before', async () => {
    const watcher = await startWatcher();
    const caseId = randomUUID();
    const handoverId = randomUUID();
    const streamId = `case-${caseId}`;
    const effectiveAt = new Date(Date.now() + 1_500).toISOString();
    await watcher.store.appendToStream(streamId, 'no-stream', [
      event('case.opened.v1', {
        caseId,
        responsible: 'redbridge-gp-team',
        subjectId: 'subj-y',
        subject: {},
        lawfulBasis: {},
      }),
      event('case.handover-proposed.v1', {
        caseId,
        handoverId,
        from: 'redbridge-gp-team',
        to: 'redbridge-adult-social-care',
        reason: 'r',
        summary: 's',
        effectiveAt,
      }),
      event('case.handover-accepted.v1', { caseId, handoverId, effectiveAt }),
    ]);
    await new Promise((r) => setTimeout(r, 500));
    expect(await typesIn(watcher.store, streamId)).not.toContain('case.handover-completed.v1');
    await eventually(
      async () =>
        (await typesIn(watcher.store, streamId)).includes('case.handover-completed.v1')
          ? true
          : undefined,
      'case.handover-completed.v1',
    );
    const completed = (await watcher.store.readStream(streamId)).find(
      (e) => e.type === 'case.handover-completed.v1',
    );
    expect(new Date(completed?.recordedAt ?? 0).getTime()).toBeGreaterThanOrEqual(
      new Date(effectiveAt).getTime(),
    );
    expect(completed?.data).toMatchObject({
      from: 'redbridge-gp-team',
      to: 'redbridge-adult-social-care',
    });
    await watcher.stop();
  });
});
