// CONTRACT §7, "paging is stable under concurrent writes": an agency paging through its inbox
// or outbox while referrals keep arriving and changing status gets every referral that was
// there when it started exactly once, and never one twice, whatever lands between its pages.
import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '@backbone/contracts';
import { inTransaction } from '@backbone/database';
import { freshTestDatabase } from '@backbone/testing/fresh-test-database';
import { SeededRandom } from '@backbone/testing/seeded-random';
import { applyEventsToTable } from '../engine/apply-to-table';
import { REFERRAL_VIEW_PROJECTION } from '../models/referral-views/referral-view.fold';
import { decodePageToken } from './page-token';
import { ReferralViewsQueries } from './referral-views.queries';

const SOCIAL = 'randers-social';
const SCHOOL = 'randers-school';
const START = Date.parse('2025-03-01T08:00:00.000Z');

const event = (type: string, subject: string, time: number, version: number, data: object) =>
  ({
    specversion: '1.0',
    id: randomUUID(),
    source: 'backbone/sector-service',
    type,
    time: new Date(time).toISOString(),
    subject,
    datacontenttype: 'application/json',
    data: { referralId: subject, ...data },
    streamversion: version,
  }) as CloudEvent;

const made = (referralId: string, time: number) =>
  event('referral.made.v1', referralId, time, 1, {
    from: SCHOOL,
    to: SOCIAL,
    category: 'child-social-care',
    priority: 'urgent',
    decisionDueBy: new Date(time + 86_400_000).toISOString(),
  });

describe('paging an agency’s lists while referrals arrive and change', () => {
  const db = freshTestDatabase({
    maxConnections: 6,
    over: ({ pool }) => ({ queries: new ReferralViewsQueries(pool) }),
  });
  const random = new SeededRandom(7);

  const apply = (events: CloudEvent[]) =>
    inTransaction(db.pool, (client) =>
      applyEventsToTable(client, REFERRAL_VIEW_PROJECTION, events, 'referral_views'),
    );

  it('returns every referral present at the start exactly once, in order, on both lists', async () => {
    // Three referrals to a minute: ties on the time are broken by id, across page boundaries.
    const present: string[] = [];
    for (let i = 0; i < 90; i++) present.push(randomUUID());
    await apply(present.map((id, i) => made(id, START + Math.floor(i / 3) * 60_000)));
    const versions = new Map(present.map((id) => [id, 1]));

    let writing = true;
    let arrived = 0;
    const writer = (async () => {
      while (writing) {
        const batch: CloudEvent[] = [];
        // Newcomers, some of them recorded long ago and projected only now (a lagging
        // projector), which sort into pages not read yet.
        for (let i = 0; i < 3; i++) {
          const late = random.next() < 0.5;
          const time = late ? START + random.next() * 30 * 60_000 : Date.now();
          batch.push(made(randomUUID(), time));
          arrived++;
        }
        // Referrals already listed move on: their rows change, their place must not.
        for (let i = 0; i < 5; i++) {
          const id = random.pick(present);
          const version = (versions.get(id) ?? 1) + 1;
          versions.set(id, version);
          const type = random.pick(['referral.received.v1', 'referral.noted.v1']);
          batch.push(event(type, id, Date.now(), version, {}));
        }
        await apply(batch);
        await new Promise((r) => setTimeout(r, 1));
      }
    })();

    try {
      for (const list of ['inbox', 'outbox'] as const) {
        const agency = list === 'inbox' ? SOCIAL : SCHOOL;
        const seen: string[] = [];
        const keys: string[] = [];
        let token: string | undefined;
        let pages = 0;
        do {
          const page = await db.queries[list](agency, undefined, decodePageToken(token), 7);
          seen.push(...page.items.map((item) => item.referralId));
          keys.push(...page.items.map((item) => `${item.madeAt} ${item.referralId}`));
          token = page.nextPage;
          pages++;
          await new Promise((r) => setTimeout(r, 5)); // let writes land between pages
        } while (token);
        expect(pages).toBeGreaterThan(10);
        const counts = new Map<string, number>();
        for (const id of seen) counts.set(id, (counts.get(id) ?? 0) + 1);
        expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
        expect(present.filter((id) => !counts.has(id))).toEqual([]);
        // Newest first throughout, ties broken by id, across every page boundary.
        expect(keys).toEqual([...keys].sort().reverse());
      }
      expect(arrived).toBeGreaterThan(10);
    } finally {
      writing = false;
      await writer;
    }
  });
});
