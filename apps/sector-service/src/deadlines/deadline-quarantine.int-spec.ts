// DESIGN invariant 10 for the deadline watcher: a stored event whose deadline PostgreSQL cannot
// hold (a due time that is not a date, written before validation caught it) is quarantined and
// the watcher keeps tracking and acting on every other deadline; a deadline whose action fails
// is held, not retried ahead of the others for ever; a failing run stops both of its loops
// before the next starts (no leaked polling loop); an operator re-applies after a fix.
import { randomUUID } from 'node:crypto';
import { register } from 'prom-client';
import { PostgresCheckpointStore, PostgresEventStore } from '@backbone/event-store';
import { eventually } from '@backbone/testing/eventually';
import { startDeadlineWatching } from '@backbone/testing/command-handling-app';
import { storedReferralMade } from '@backbone/testing/stored-referral-made';
import { freshTestDatabase } from '@backbone/testing/fresh-test-database';
import { StreamDecider } from '../commands/stream-decider';
import { PendingDeadlines } from './pending-deadlines';
import { reapplyQuarantinedDeadlineEvents } from './reapply-quarantined-deadlines';

const NOT_A_DATE = '2099-02-31T00:00:00Z';
const PAST = () => new Date(Date.now() - 60_000).toISOString();

const quarantinedByWatcher = async (): Promise<number> => {
  const metric = register.getSingleMetric('backbone_events_quarantined_total');
  const values = metric ? (await metric.get()).values : [];
  return values.find((v) => v.labels.consumer === 'deadline-watcher')?.value ?? 0;
};

describe('deadline watcher and events or deadlines it cannot handle', () => {
  const db = freshTestDatabase({ maxConnections: 2 });
  afterAll(() => {
    jest.restoreAllMocks();
  });

  async function startWatcher() {
    const app = await startDeadlineWatching(db.url);
    return {
      store: app.get(PostgresEventStore),
      deadlines: app.get(PendingDeadlines),
      stop: () => app.close(),
    };
  }

  const isOverdue = async (store: PostgresEventStore, referralId: string) =>
    (await store.readStream(`referral-${referralId}`)).some((e) => e.type === 'referral.overdue.v1')
      ? true
      : undefined;

  const quarantined = async () =>
    (
      await db.pool.query<{
        stream_id: string;
        error: string;
        attempts: number;
        reapplied_at: Date | null;
      }>(
        `SELECT stream_id, error, attempts, reapplied_at FROM quarantined_events
         WHERE consumer = 'deadline-watcher' ORDER BY global_position`,
      )
    ).rows;

  it('quarantines an event whose deadline it cannot hold, and acts on the deadlines around it', async () => {
    const before = await quarantinedByWatcher();
    const watcher = await startWatcher();
    try {
      const [first, hostile, last] = [randomUUID(), randomUUID(), randomUUID()];
      await watcher.store.appendToStream(`referral-${first}`, 'no-stream', [
        storedReferralMade(first, PAST()),
      ]);
      await watcher.store.appendToStream(`referral-${hostile}`, 'no-stream', [
        storedReferralMade(hostile, NOT_A_DATE),
      ]);
      await watcher.store.appendToStream(`referral-${last}`, 'no-stream', [
        storedReferralMade(last, PAST()),
      ]);
      await eventually(() => isOverdue(watcher.store, first), 'the first referral overdue');
      await eventually(() => isOverdue(watcher.store, last), 'the last referral overdue');
      const rows = await quarantined();
      expect(rows).toHaveLength(1);
      expect(rows[0].stream_id).toBe(`referral-${hostile}`);
      expect(rows[0].error).toContain('22008');
      expect(rows[0].error).not.toContain('2099');
      expect((await quarantinedByWatcher()) - before).toBe(1);
      expect(await isOverdue(watcher.store, hostile)).toBeUndefined();
    } finally {
      await watcher.stop();
    }
  });

  it('holds a deadline whose action fails and acts on the others; releases it after a fix', async () => {
    const [failing, fine] = [randomUUID(), randomUUID()];
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called with its `this` below
    const decide = StreamDecider.prototype.decide;
    // "The bug": acting on one referral throws (as a bad stored event would make its fold).
    const spy = jest.spyOn(StreamDecider.prototype, 'decide').mockImplementation(function (
      this: StreamDecider,
      streamId,
      ...rest
    ) {
      if (streamId === `referral-${failing}`)
        return Promise.reject(new TypeError("Cannot read properties of undefined (reading 'x')"));
      return decide.call<
        StreamDecider,
        Parameters<StreamDecider['decide']>,
        ReturnType<StreamDecider['decide']>
      >(this, streamId, ...rest);
    });
    const watcher = await startWatcher();
    try {
      // Due first: it comes up first on every poll.
      await watcher.store.appendToStream(`referral-${failing}`, 'no-stream', [
        storedReferralMade(failing, new Date(Date.now() - 120_000).toISOString()),
      ]);
      await watcher.store.appendToStream(`referral-${fine}`, 'no-stream', [
        storedReferralMade(fine, PAST()),
      ]);
      await eventually(() => isOverdue(watcher.store, fine), 'the other referral overdue');
      const [held] = await watcher.deadlines.held(10);
      expect(held).toMatchObject({ streamId: `referral-${failing}`, kind: 'decision' });
      expect(held.error).toContain('TypeError');
      const gauge = register.getSingleMetric('backbone_held_deadlines');
      expect((await gauge?.get())?.values[0]?.value).toBe(1);
      const tries = spy.mock.calls.filter(([id]) => id === `referral-${failing}`).length;
      await new Promise((r) => setTimeout(r, 500));
      expect(spy.mock.calls.filter(([id]) => id === `referral-${failing}`)).toHaveLength(tries);

      spy.mockRestore(); // "the fix"
      const report = await reapplyQuarantinedDeadlineEvents(
        db.pool,
        watcher.store,
        watcher.deadlines,
      );
      expect(report.released).toBe(1);
      await eventually(() => isOverdue(watcher.store, failing), 'the held referral overdue');
    } finally {
      spy.mockRestore();
      await watcher.stop();
    }
  });

  it('re-applies a quarantined event once it can be tracked; one that still fails stays quarantined', async () => {
    const refused = randomUUID();
    // A deadline PostgreSQL refuses until "the fix" (here: a trigger, dropped later).
    await db.pool.query(`
      CREATE FUNCTION refuse_deadline() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.stream_id = 'referral-${refused}' THEN
          RAISE EXCEPTION 'refused' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await db.pool.query(
      'CREATE TRIGGER refuse_deadline BEFORE INSERT OR UPDATE ON pending_deadlines FOR EACH ROW EXECUTE FUNCTION refuse_deadline()',
    );
    const watcher = await startWatcher();
    try {
      const after = randomUUID();
      await watcher.store.appendToStream(`referral-${refused}`, 'no-stream', [
        storedReferralMade(refused, PAST()),
      ]);
      await watcher.store.appendToStream(`referral-${after}`, 'no-stream', [
        storedReferralMade(after, PAST()),
      ]);
      await eventually(() => isOverdue(watcher.store, after), 'the referral after it overdue');
      expect((await quarantined()).map((r) => r.stream_id)).toContain(`referral-${refused}`);

      const attemptsBefore = (await quarantined()).find(
        (row) => row.stream_id !== `referral-${refused}` && row.reapplied_at === null,
      )?.attempts;
      await db.pool.query('DROP TRIGGER refuse_deadline ON pending_deadlines');
      const report = await reapplyQuarantinedDeadlineEvents(
        db.pool,
        watcher.store,
        watcher.deadlines,
      );
      expect(report.reapplied).toHaveLength(1);
      expect(report.stillFailing).toHaveLength(1); // the date that is not one (first test)
      await eventually(() => isOverdue(watcher.store, refused), 'the re-applied referral overdue');
      const rows = await quarantined();
      const byStream = new Map(rows.map((row) => [row.stream_id, row]));
      expect(byStream.get(`referral-${refused}`)?.reapplied_at).toBeInstanceOf(Date);
      const stillFailing = rows.find((row) => row.reapplied_at === null);
      expect(stillFailing?.attempts).toBe((attemptsBefore ?? 0) + 1);
    } finally {
      await watcher.stop();
      await db.pool.query('DROP TRIGGER IF EXISTS refuse_deadline ON pending_deadlines');
      await db.pool.query('DROP FUNCTION IF EXISTS refuse_deadline()');
    }
  });

  it('stops both loops when one fails, so restarts leave no polling loop behind', async () => {
    // A passing fault in tracking: the run fails and the watcher starts again (every 2 s).
    const fault = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const read = jest.spyOn(PostgresCheckpointStore.prototype, 'read').mockRejectedValue(fault);
    const due = jest.spyOn(PendingDeadlines.prototype, 'due');
    const watcher = await startWatcher();
    try {
      await eventually(
        async () => (read.mock.calls.length >= 3 ? true : undefined),
        'three runs of the watcher',
      );
      // One poll at most per run: the watching loop stops with the tracking one. (A leaked loop
      // polls every 100 ms, and one more leaks with each run.)
      expect(due.mock.calls.length).toBeLessThanOrEqual(read.mock.calls.length + 1);
    } finally {
      await watcher.stop();
      read.mockRestore();
    }
    const polled = due.mock.calls.length;
    await new Promise((r) => setTimeout(r, 1_000));
    expect(due.mock.calls.length).toBe(polled);
    due.mockRestore();
  });
});
