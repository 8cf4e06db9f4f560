// Overdue is one rule of the referral views: awaiting the receiver's decision (requested or
// received) past the deadline. The lists' `overdue` flag and the overdue query (which the ops
// console asks) agree on it, and the query lists the oldest deadline first.
import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '@backbone/contracts';
import { inTransaction } from '@backbone/database';
import { freshTestDatabase } from '@backbone/testing/fresh-test-database';
import { applyEventsToTable } from '../engine/apply-to-table';
import { REFERRAL_VIEW_PROJECTION } from '../models/referral-views/referral-view.fold';
import { ReferralViewsQueries } from './referral-views.queries';

const HOUR = 3_600_000;

const event = (type: string, referralId: string, version: number, data: object) =>
  ({
    specversion: '1.0',
    id: randomUUID(),
    source: 'backbone/sector-service',
    type,
    time: new Date(Date.now() - 72 * HOUR).toISOString(),
    subject: referralId,
    datacontenttype: 'application/json',
    data: { referralId, ...data },
    streamversion: version,
  }) as CloudEvent;

const made = (referralId: string, dueInHours: number) =>
  event('referral.made.v1', referralId, 1, {
    from: 'randers-school',
    to: 'randers-social',
    category: 'child-social-care',
    priority: 'urgent',
    decisionDueBy: new Date(Date.now() + dueInHours * HOUR).toISOString(),
  });

describe('overdue referrals', () => {
  const db = freshTestDatabase({
    maxConnections: 2,
    over: ({ pool }) => ({ queries: new ReferralViewsQueries(pool) }),
  });

  it('are those awaiting a decision past the deadline, oldest deadline first, on every query', async () => {
    const [late, later, received, accepted, notYetDue] = Array.from({ length: 5 }, randomUUID);
    await inTransaction(db.pool, (client) =>
      applyEventsToTable(
        client,
        REFERRAL_VIEW_PROJECTION,
        [
          made(late, -48),
          made(later, -2),
          made(received, -24),
          event('referral.received.v1', received, 2, {}),
          made(accepted, -36),
          event('referral.accepted.v1', accepted, 2, { caseId: randomUUID() }),
          made(notYetDue, 24),
        ],
        'referral_views',
      ),
    );

    const overdue = await db.queries.overdue(10);
    expect(overdue.map((referral) => referral.referralId)).toEqual([late, received, later]);
    expect(overdue.every((referral) => referral.overdue)).toBe(true);
    for (const id of [accepted, notYetDue]) expect((await db.queries.one(id))?.overdue).toBe(false);
    for (const id of [late, later, received])
      expect((await db.queries.one(id))?.overdue).toBe(true);
    expect(await db.queries.overdue(1)).toEqual([overdue[0]]);
  });
});
