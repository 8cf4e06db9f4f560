// The directors' agenda lists exactly the items each of its four rules names, from histories
// folded through the referral-facts and case-view folds into PostgreSQL: redirect chains of two
// or more redirects nobody kept, decisions past their deadline, handovers waiting longer than
// the days asked for, and cases closed after a declined handover with no successor. A director
// sees an item when any agency it involves is in scope, and each list is cut, oldest first.
import { randomUUID } from 'node:crypto';
import { inTransaction } from '@backbone/database';
import { freshTestDatabase } from '@backbone/testing/fresh-test-database';
import { applyEventsToTable } from '../engine/apply-to-table';
import type { ProjectedEvent } from '../engine/projected-event';
import { CASE_VIEW_PROJECTION } from '../models/case-views/case-view.fold';
import { REFERRAL_FACT_PROJECTION } from '../models/referral-facts/referral-fact.fold';
import { AgendaQueries, AgendaQuery } from './agenda.queries';

const DAY = 86_400_000;
const NOW = new Date('2026-06-01T12:00:00.000Z');
const daysAgo = (days: number): string => new Date(NOW.getTime() - days * DAY).toISOString();

const RANDERS = ['randers-school', 'randers-social', 'east-jutland-police'];
const REDBRIDGE = [
  'redbridge-gp-team',
  'redbridge-adult-social-care',
  'ilford-jobcentre',
  'redbridge-debt-advice',
  'redbridge-housing',
  'redbridge-drug-rehab',
];

/** Events of one referral or case stream, versions counted for it. */
class Stream {
  private version = 0;
  readonly events: ProjectedEvent[] = [];
  constructor(
    readonly id: string,
    private readonly key: 'referralId' | 'caseId',
  ) {}

  add(type: string, daysBefore: number, data: object = {}): this {
    this.version += 1;
    this.events.push({
      type,
      subject: this.id,
      time: daysAgo(daysBefore),
      streamversion: this.version,
      data: { [this.key]: this.id, ...data },
    });
    return this;
  }
}

const referral = (
  from: string,
  to: string,
  madeDaysAgo: number,
  dueDaysAgo: number,
  redirectedFrom?: string,
): Stream =>
  new Stream(randomUUID(), 'referralId').add('referral.made.v1', madeDaysAgo, {
    from,
    to,
    category: 'safeguarding',
    priority: 'routine',
    decisionDueBy: daysAgo(dueDaysAgo),
    ...(redirectedFrom ? { redirectedFrom } : {}),
  });

/** A referral from `from` through each receiver, each one redirecting to the next. */
function chain(from: string, receivers: string[], madeDaysAgo: number): Stream[] {
  const links: Stream[] = [];
  receivers.forEach((to, index) => {
    const at = madeDaysAgo - index;
    const link = referral(from, to, at, at - 3, links[index - 1]?.id);
    links[index - 1]?.add('referral.redirected.v1', at, { to, reason: 'r' });
    links.push(link);
  });
  return links;
}

const openCase = (responsible: string, openedDaysAgo: number): Stream =>
  new Stream(randomUUID(), 'caseId').add('case.opened.v1', openedDaysAgo, { responsible });

const propose = (stream: Stream, to: string, daysBefore: number): string => {
  const handoverId = randomUUID();
  stream.add('case.handover-proposed.v1', daysBefore, { handoverId, to, reason: 'r' });
  return handoverId;
};

// Redirect chains.
const randersChain = chain(
  'randers-school',
  ['randers-social', 'east-jutland-police', 'randers-social'],
  40,
);
const redirectedOnce = chain('randers-school', ['randers-social', 'east-jutland-police'], 41);
const keptAfterTwo = chain(
  'randers-school',
  ['randers-social', 'east-jutland-police', 'randers-social'],
  42,
);
keptAfterTwo[2].add('referral.accepted.v1', 30, { caseId: randomUUID() });
const rejectedAfterThree = chain(
  'redbridge-gp-team',
  ['redbridge-adult-social-care', 'redbridge-housing', 'redbridge-drug-rehab', 'ilford-jobcentre'],
  50,
);
rejectedAfterThree[3].add('referral.rejected.v1', 45, { reason: 'r', reasonCode: 'no-capacity' });
// Starts in Redbridge and passes through Randers' police: both directors see it.
const acrossBoroughs = chain(
  'redbridge-gp-team',
  ['redbridge-adult-social-care', 'east-jutland-police', 'redbridge-housing'],
  35,
);

// Decisions: overdue, or not.
const overdueReceived = referral('randers-school', 'randers-social', 10, 6).add(
  'referral.received.v1',
  9,
);
const overdueRequested = referral('randers-social', 'east-jutland-police', 5, 2);
const overdueLongest = referral('east-jutland-police', 'randers-social', 30, 20);
const notYetDue = referral('randers-school', 'randers-social', 1, -2);
const decidedLate = referral('randers-school', 'randers-social', 10, 8).add(
  'referral.accepted.v1',
  2,
  { caseId: randomUUID() },
);
const cancelledUndecided = referral('randers-school', 'randers-social', 10, 8).add(
  'referral.cancelled.v1',
  7,
  { reason: 'r' },
);
const redbridgeOverdue = referral('redbridge-gp-team', 'redbridge-adult-social-care', 9, 4);

// Handovers.
const waiting20 = openCase('randers-social', 60);
propose(waiting20, 'east-jutland-police', 20);
const waiting5 = openCase('randers-social', 60);
propose(waiting5, 'redbridge-housing', 5);
const acceptedNotDone = openCase('east-jutland-police', 60);
const scheduled = propose(acceptedNotDone, 'randers-social', 30);
acceptedNotDone.add('case.handover-accepted.v1', 29, {
  handoverId: scheduled,
  effectiveAt: daysAgo(-10),
});
const declinedOpen = openCase('randers-social', 60);
const declinedOpenId = propose(declinedOpen, 'east-jutland-police', 40);
declinedOpen.add('case.handover-declined.v1', 39, { handoverId: declinedOpenId, reason: 'r' });
const redbridgeWaiting = openCase('redbridge-housing', 60);
propose(redbridgeWaiting, 'redbridge-drug-rehab', 16);

// Closed after a declined handover, or with a successor.
const closedAfterDecline = openCase('randers-social', 90);
const refused = propose(closedAfterDecline, 'east-jutland-police', 50);
closedAfterDecline
  .add('case.handover-declined.v1', 48, { handoverId: refused, reason: 'r' })
  .add('case.closed.v1', 44, { reason: 'r' });
const handedOnThenClosed = openCase('randers-social', 90);
const first = propose(handedOnThenClosed, 'east-jutland-police', 50);
handedOnThenClosed.add('case.handover-declined.v1', 49, { handoverId: first, reason: 'r' });
const second = propose(handedOnThenClosed, 'randers-school', 47);
handedOnThenClosed
  .add('case.handover-accepted.v1', 46, { handoverId: second, effectiveAt: daysAgo(46) })
  .add('case.handover-completed.v1', 46, { handoverId: second, to: 'randers-school' })
  .add('case.closed.v1', 40, { reason: 'r' });
const closedNoDecline = openCase('randers-social', 90).add('case.closed.v1', 10, { reason: 'r' });
const declinedByRanders = openCase('redbridge-housing', 90);
const toPolice = propose(declinedByRanders, 'east-jutland-police', 33);
declinedByRanders
  .add('case.handover-declined.v1', 32, { handoverId: toPolice, reason: 'r' })
  .add('case.closed.v1', 31, { reason: 'r' });

const REFERRALS = [
  ...randersChain,
  ...redirectedOnce,
  ...keptAfterTwo,
  ...rejectedAfterThree,
  ...acrossBoroughs,
  overdueReceived,
  overdueRequested,
  overdueLongest,
  notYetDue,
  decidedLate,
  cancelledUndecided,
  redbridgeOverdue,
];
const CASES = [
  waiting20,
  waiting5,
  acceptedNotDone,
  declinedOpen,
  redbridgeWaiting,
  closedAfterDecline,
  handedOnThenClosed,
  closedNoDecline,
  declinedByRanders,
];

describe('the directors’ agenda', () => {
  const db = freshTestDatabase({
    maxConnections: 4,
    over: ({ pool }) => ({ queries: new AgendaQueries(pool) }),
  });

  beforeAll(async () => {
    await inTransaction(db.pool, async (client) => {
      await applyEventsToTable(
        client,
        REFERRAL_FACT_PROJECTION,
        REFERRALS.flatMap((s) => s.events),
        'referral_facts',
      );
      await applyEventsToTable(
        client,
        CASE_VIEW_PROJECTION,
        CASES.flatMap((s) => s.events),
        'case_views',
      );
    });
  });

  const agendaOf = (agencies: string[], options: Partial<AgendaQuery> = {}) =>
    db.queries.agenda({ agencies, handoverDays: 14, limit: 200, now: NOW, ...options });
  const ids = (streams: Stream[]) => streams.map((s) => s.id);

  it('lists chains redirected twice or more that nobody kept, with the agencies in order', async () => {
    const { items } = await agendaOf(RANDERS);
    expect(items.redirectChains).toEqual([
      {
        rootReferralId: randersChain[0].id,
        latestReferralId: randersChain[2].id,
        agencies: ['randers-school', 'randers-social', 'east-jutland-police', 'randers-social'],
        redirects: 2,
        latestStatus: 'requested',
        since: daysAgo(40),
        days: 40,
      },
      expect.objectContaining({
        rootReferralId: acrossBoroughs[0].id,
        latestReferralId: acrossBoroughs[2].id,
        agencies: [
          'redbridge-gp-team',
          'redbridge-adult-social-care',
          'east-jutland-police',
          'redbridge-housing',
        ],
      }),
    ]);
    const redbridge = await agendaOf(REDBRIDGE);
    expect(redbridge.items.redirectChains).toEqual([
      expect.objectContaining({
        rootReferralId: rejectedAfterThree[0].id,
        latestReferralId: rejectedAfterThree[3].id,
        redirects: 3,
        latestStatus: 'rejected',
        days: 50,
      }),
      expect.objectContaining({ rootReferralId: acrossBoroughs[0].id, redirects: 2 }),
    ]);
  });

  it('lists undecided referrals past their deadline, longest overdue first', async () => {
    const { items } = await agendaOf(RANDERS);
    // The last links of chains are referrals awaiting a decision too, past deadlines 37 and 35
    // days ago.
    expect(items.overdueDecisions.map((item) => item.referralId)).toEqual(
      ids([redirectedOnce[1], randersChain[2], overdueLongest, overdueReceived, overdueRequested]),
    );
    expect(items.overdueDecisions[2]).toEqual({
      referralId: overdueLongest.id,
      from: 'east-jutland-police',
      to: 'randers-social',
      status: 'requested',
      dueBy: daysAgo(20),
      daysOverdue: 20,
    });
    expect(items.overdueDecisions[3]).toMatchObject({ status: 'received', daysOverdue: 6 });
    for (const id of ids([notYetDue, decidedLate, cancelledUndecided, redbridgeOverdue]))
      expect(items.overdueDecisions.map((item) => item.referralId)).not.toContain(id);
  });

  it('lists handovers waiting longer than the days asked for, proposed or accepted', async () => {
    const { items } = await agendaOf(RANDERS);
    expect(items.waitingHandovers).toEqual([
      {
        caseId: acceptedNotDone.id,
        from: 'east-jutland-police',
        to: 'randers-social',
        status: 'accepted',
        proposedAt: daysAgo(30),
        daysWaiting: 30,
      },
      {
        caseId: waiting20.id,
        from: 'randers-social',
        to: 'east-jutland-police',
        status: 'proposed',
        proposedAt: daysAgo(20),
        daysWaiting: 20,
      },
    ]);
    const sooner = await agendaOf(RANDERS, { handoverDays: 3 });
    expect(sooner.items.waitingHandovers.map((item) => item.caseId)).toEqual(
      ids([acceptedNotDone, waiting20, waiting5]),
    );
    // Handed to Redbridge's housing: Redbridge's director sees it too.
    const redbridge = await agendaOf(REDBRIDGE, { handoverDays: 3 });
    expect(redbridge.items.waitingHandovers.map((item) => item.caseId)).toEqual(
      ids([redbridgeWaiting, waiting5]),
    );
  });

  it('lists cases closed after a declined handover with no successor, not those handed on', async () => {
    const { items } = await agendaOf(RANDERS);
    expect(items.closedAfterDecline).toEqual([
      {
        caseId: closedAfterDecline.id,
        closedBy: 'randers-social',
        declinedBy: 'east-jutland-police',
        declinedAt: daysAgo(48),
        closedAt: daysAgo(44),
        daysSinceClosed: 44,
      },
      expect.objectContaining({
        caseId: declinedByRanders.id,
        closedBy: 'redbridge-housing',
        declinedBy: 'east-jutland-police',
      }),
    ]);
  });

  it('shows Randers’ director nothing that involves Redbridge alone, and the reverse', async () => {
    const randers = await agendaOf(RANDERS);
    const redbridge = await agendaOf(REDBRIDGE);
    const involved = (items: object) =>
      [...JSON.stringify(items).matchAll(/"(?:from|to|closedBy|declinedBy)":"([a-z-]+)"/g)].map(
        ([, agency]) => agency,
      );
    const chainAgencies = (agenda: typeof randers) =>
      agenda.items.redirectChains.map((item) => item.agencies);
    // Every item has an agency of the scope among those it involves.
    for (const item of [
      ...randers.items.overdueDecisions,
      ...randers.items.waitingHandovers,
      ...randers.items.closedAfterDecline,
    ])
      expect(involved(item).some((agency) => RANDERS.includes(agency))).toBe(true);
    for (const agencies of chainAgencies(randers))
      expect(agencies.some((agency) => RANDERS.includes(agency))).toBe(true);
    expect(JSON.stringify(randers)).not.toContain(redbridgeOverdue.id);
    expect(JSON.stringify(randers)).not.toContain(redbridgeWaiting.id);
    expect(JSON.stringify(randers)).not.toContain(rejectedAfterThree[0].id);
    expect(JSON.stringify(redbridge)).not.toMatch(/randers-school|randers-social"/);
    expect(JSON.stringify(redbridge)).not.toContain(randersChain[0].id);
    expect(JSON.stringify(redbridge)).not.toContain(closedAfterDecline.id);
    expect(await agendaOf(['no-such-agency'])).toEqual({
      items: {
        redirectChains: [],
        overdueDecisions: [],
        waitingHandovers: [],
        closedAfterDecline: [],
      },
      cut: {
        redirectChains: false,
        overdueDecisions: false,
        waitingHandovers: false,
        closedAfterDecline: false,
      },
    });
  });

  it('cuts each list at the limit, keeping the oldest, and says so', async () => {
    const whole = await agendaOf(RANDERS);
    const cut = await agendaOf(RANDERS, { limit: 1 });
    expect(cut.items.overdueDecisions).toEqual(whole.items.overdueDecisions.slice(0, 1));
    expect(cut.items.redirectChains).toEqual(whole.items.redirectChains.slice(0, 1));
    expect(cut.cut).toEqual({
      redirectChains: true,
      overdueDecisions: true,
      waitingHandovers: true,
      closedAfterDecline: true,
    });
    expect((await agendaOf(RANDERS, { limit: 5 })).cut).toEqual({
      redirectChains: false,
      overdueDecisions: false,
      waitingHandovers: false,
      closedAfterDecline: false,
    });
  });

  it('holds nothing from the person: only ids, agency ids, statuses, times and day counts', async () => {
    const agenda = await agendaOf([...RANDERS, ...REDBRIDGE]);
    const keys = new Set<string>();
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object')
        for (const [key, inner] of Object.entries(value)) {
          keys.add(key);
          walk(inner);
        }
    };
    walk(agenda.items);
    expect([...keys].sort()).toEqual(
      [
        'redirectChains',
        'overdueDecisions',
        'waitingHandovers',
        'closedAfterDecline',
        'rootReferralId',
        'latestReferralId',
        'agencies',
        'redirects',
        'latestStatus',
        'since',
        'days',
        'referralId',
        'from',
        'to',
        'status',
        'dueBy',
        'daysOverdue',
        'caseId',
        'proposedAt',
        'daysWaiting',
        'closedBy',
        'declinedBy',
        'declinedAt',
        'closedAt',
        'daysSinceClosed',
      ].sort(),
    );
  });
});
