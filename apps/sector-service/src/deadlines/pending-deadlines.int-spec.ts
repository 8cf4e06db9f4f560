// A page of the log's deadline changes is applied in two statements: the result must be what
// applying them one at a time, in order, would leave.
import { inTransaction } from '@backbone/database';
import { freshTestDatabase } from '@backbone/testing/fresh-test-database';
import type { ScheduleChange } from './deadline-schedule';
import { PendingDeadlines } from './pending-deadlines';

describe('pending deadlines', () => {
  const db = freshTestDatabase({ over: ({ pool }) => ({ deadlines: new PendingDeadlines(pool) }) });

  const due = (streamId: string, dueAt: string): ScheduleChange => ({
    change: 'due',
    streamId,
    kind: 'decision',
    dueAt,
  });
  const clear = (streamId: string): ScheduleChange => ({
    change: 'clear',
    streamId,
    kind: 'decision',
  });

  it('keeps only the last change of each deadline in a page', async () => {
    await inTransaction(db.pool, (client) =>
      db.deadlines.applyAll([due('referral-old', '2026-01-01T00:00:00.000Z')], client),
    );
    await inTransaction(db.pool, (client) =>
      db.deadlines.applyAll(
        [
          due('referral-a', '2026-01-02T00:00:00.000Z'),
          clear('referral-a'), // made and decided in one page
          due('referral-b', '2026-01-03T00:00:00.000Z'),
          clear('referral-b'),
          due('referral-b', '2026-01-04T00:00:00.000Z'), // redirected back: due again
          clear('referral-old'),
          due('referral-c', '2026-01-05T00:00:00.000Z'),
        ],
        client,
      ),
    );
    const pending = await db.deadlines.due(new Date('2027-01-01T00:00:00Z'), 10);
    expect(pending).toEqual([
      { streamId: 'referral-b', kind: 'decision' },
      { streamId: 'referral-c', kind: 'decision' },
    ]);
    expect(await db.deadlines.due(new Date('2026-01-04T12:00:00Z'), 10)).toEqual([
      { streamId: 'referral-b', kind: 'decision' },
    ]);
  });
});
