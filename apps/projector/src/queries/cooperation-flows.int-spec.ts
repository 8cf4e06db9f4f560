// The cooperation flows agree with counts made independently: a seeded set of referral
// histories over three months is tallied here, in plain code, from the histories themselves,
// and the same events go through the referral-facts fold into PostgreSQL and out through the
// flows query. A director's scope keeps out flows that touch none of its agencies.
import { randomUUID } from 'node:crypto';
import { inTransaction } from '@backbone/database';
import { freshTestDatabase } from '@backbone/testing/fresh-test-database';
import { SeededRandom } from '@backbone/testing/seeded-random';
import { applyEventsToTable } from '../engine/apply-to-table';
import type { ProjectedEvent } from '../engine/projected-event';
import { REFERRAL_FACT_PROJECTION } from '../models/referral-facts/referral-fact.fold';
import {
  AgencyFlow,
  CooperationFlowsQueries,
  TOTALLED,
  TotalledCounts,
} from './cooperation-flows.queries';

const HOUR = 3_600_000;
const PAIRS = [
  ['randers-school', 'randers-social'],
  ['randers-social', 'east-jutland-police'],
  ['redbridge-gp-team', 'redbridge-adult-social-care'],
] as const;
const MONTHS = ['2026-01', '2026-02', '2026-03'];
const REASONS = ['no-capacity', 'already-known', 'wrong-service', undefined];

type Step = { type: string; afterHours: number; data?: object };
/** The paths a referral can take, each step some hours after the making. */
const PATHS: ((random: SeededRandom) => Step[])[] = [
  () => [],
  (r) => [{ type: 'referral.received.v1', afterHours: 1 + r.next() * 10 }],
  (r) => [
    { type: 'referral.received.v1', afterHours: 2 },
    { type: 'referral.accepted.v1', afterHours: 3 + r.next() * 40, data: { caseId: randomUUID() } },
    { type: 'referral.started.v1', afterHours: 50 },
    {
      type: 'referral.completed.v1',
      afterHours: 60,
      data: { outcome: 'x', outcomeCode: r.pick(['service-provided', 'referred-on']) },
    },
  ],
  (r) => [coded('referral.rejected.v1', 1 + r.next() * 48, r)],
  (r) => [
    { type: 'referral.received.v1', afterHours: 1 },
    { ...coded('referral.redirected.v1', 5 + r.next() * 30, r), data: { to: 'x', reason: 'x' } },
  ],
  (r) => [
    { type: 'referral.accepted.v1', afterHours: 4, data: { caseId: randomUUID() } },
    coded('referral.cancelled.v1', 30, r),
  ],
  (r) => [
    { type: 'referral.accepted.v1', afterHours: 30, data: { caseId: randomUUID() } },
    { type: 'referral.started.v1', afterHours: 31 },
    coded('referral.failed.v1', 90, r),
  ],
];

function coded(type: string, afterHours: number, random: SeededRandom): Step {
  const reasonCode = random.pick(REASONS);
  return { type, afterHours, data: { reason: 'x', ...(reasonCode ? { reasonCode } : {}) } };
}

interface History {
  month: string;
  from: string;
  to: string;
  events: ProjectedEvent[];
}

function history(random: SeededRandom): History {
  const [from, to] = random.pick(PAIRS);
  const month = random.pick(MONTHS);
  const referralId = randomUUID();
  const madeAt = Date.parse(`${month}-01T00:00:00Z`) + Math.floor(random.next() * 25 * 24) * HOUR;
  const at = (hours: number) => new Date(madeAt + hours * HOUR).toISOString();
  const made: ProjectedEvent = {
    type: 'referral.made.v1',
    subject: referralId,
    time: at(0),
    streamversion: 1,
    data: {
      referralId,
      from,
      to,
      category: 'child-social-care',
      priority: 'urgent',
      decisionDueBy: at(24),
    },
  };
  const steps = random.pick(PATHS)(random);
  const events = steps.map((step, index) => ({
    type: step.type,
    subject: referralId,
    time: at(step.afterHours),
    streamversion: index + 2,
    data: { referralId, ...step.data },
  }));
  return { month, from, to, events: [made, ...events] };
}

/** percentile_cont: linear interpolation between the two nearest ranks. */
function percentile(values: number[], fraction: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = fraction * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}
/** Minutes shown as hours to one decimal: whole tenths of an hour, half up. */
const inHours = (minutes: number | null) =>
  minutes === null ? null : Math.floor(minutes / 6 + 0.5) / 10;

const STATUS_OF: Record<string, string> = {
  'referral.rejected.v1': 'rejected',
  'referral.redirected.v1': 'redirected',
  'referral.cancelled.v1': 'cancelled',
  'referral.completed.v1': 'completed',
  'referral.failed.v1': 'failed',
};
const DECISION_OF: Record<string, string> = {
  'referral.accepted.v1': 'accepted',
  'referral.rejected.v1': 'rejected',
  'referral.redirected.v1': 'redirected',
};

/** The flows of these histories, tallied straight from them. */
function tally(histories: History[]): AgencyFlow[] {
  const groups = new Map<string, History[]>();
  for (const h of histories) {
    const key = `${h.month}|${h.from}|${h.to}`;
    groups.set(key, [...(groups.get(key) ?? []), h]);
  }
  return [...groups.keys()].sort().map((key) => {
    const group = groups.get(key) as History[];
    const hoursAfterMade = (h: History, event: ProjectedEvent | undefined) =>
      event ? (Date.parse(event.time) - Date.parse(h.events[0].time)) / HOUR : undefined;
    const decisionOf = (h: History) => h.events.find((e) => DECISION_OF[e.type]);
    const endOf = (h: History) => h.events.find((e) => STATUS_OF[e.type]);
    const count = (test: (h: History) => boolean) => group.filter(test).length;
    // Durations count in whole minutes, half a minute up (the resolution the README states).
    const minutesAfterMade = (h: History, event: ProjectedEvent | undefined) =>
      event
        ? [Math.floor((Date.parse(event.time) - Date.parse(h.events[0].time)) / 60_000 + 0.5)]
        : [];
    const ack = group.flatMap((h) => minutesAfterMade(h, h.events[1]));
    const decide = group.flatMap((h) => minutesAfterMade(h, decisionOf(h)));
    const reasons: Record<string, Record<string, number>> = {};
    const outcomes: Record<string, number> = {};
    for (const h of group) {
      const end = endOf(h);
      if (!end) continue;
      const data = end.data as { reasonCode?: string; outcomeCode?: string };
      if (end.type === 'referral.completed.v1') {
        outcomes[data.outcomeCode as string] = (outcomes[data.outcomeCode as string] ?? 0) + 1;
      } else {
        const byCode = (reasons[STATUS_OF[end.type]] ??= {});
        const code = data.reasonCode ?? 'uncoded';
        byCode[code] = (byCode[code] ?? 0) + 1;
      }
    }
    const [month, from, to] = key.split('|');
    return {
      month,
      from,
      to,
      made: group.length,
      acknowledged: ack.length,
      accepted: count((h) => decisionOf(h)?.type === 'referral.accepted.v1'),
      rejected: count((h) => decisionOf(h)?.type === 'referral.rejected.v1'),
      redirected: count((h) => decisionOf(h)?.type === 'referral.redirected.v1'),
      cancelled: count((h) => endOf(h)?.type === 'referral.cancelled.v1'),
      completed: count((h) => endOf(h)?.type === 'referral.completed.v1'),
      failed: count((h) => endOf(h)?.type === 'referral.failed.v1'),
      decidedLate: count((h) => (hoursAfterMade(h, decisionOf(h)) ?? 0) > 24),
      undecidedOverdue: count((h) => !decisionOf(h) && !endOf(h)),
      closedLoop: count((h) =>
        ['rejected', 'redirected', 'completed', 'failed'].includes(STATUS_OF[endOf(h)?.type ?? '']),
      ),
      reasons,
      outcomes,
      hoursToAcknowledge: {
        median: inHours(percentile(ack, 0.5)),
        p90: inHours(percentile(ack, 0.9)),
      },
      hoursToDecide: {
        median: inHours(percentile(decide, 0.5)),
        p90: inHours(percentile(decide, 0.9)),
      },
    };
  });
}

describe('cooperation flows', () => {
  const db = freshTestDatabase({
    maxConnections: 2,
    over: ({ pool }) => ({ queries: new CooperationFlowsQueries(pool) }),
  });
  const random = new SeededRandom(20261205);
  const histories = Array.from({ length: 400 }, () => history(random));

  beforeAll(async () => {
    await inTransaction(db.pool, (client) =>
      applyEventsToTable(
        client,
        REFERRAL_FACT_PROJECTION,
        histories.flatMap((h) => h.events),
        'referral_facts',
      ),
    );
  });

  const byFlow = (flows: AgencyFlow[]) =>
    [...flows].sort((a, b) =>
      `${a.month}|${a.from}|${a.to}`.localeCompare(`${b.month}|${b.from}|${b.to}`),
    );

  it('count exactly what the histories say, per month and pair of agencies', async () => {
    const everyone = PAIRS.flatMap((pair) => [...pair]);
    const flows = await db.queries.flows({
      agencies: everyone,
      fromMonth: '2026-01',
      toMonth: '2026-03',
    });
    expect(byFlow(flows)).toEqual(tally(histories));
  });

  it('sum a range per month, per pair of agencies and per reason code, as the histories add up', async () => {
    const expected = tally(histories.filter((h) => h.month !== '2026-01'));
    const sumOf = (flows: AgencyFlow[]): TotalledCounts =>
      Object.fromEntries(
        TOTALLED.map((count) => [count, flows.reduce((sum, flow) => sum + flow[count], 0)]),
      ) as TotalledCounts;
    const reasons: Record<string, Record<string, number>> = {};
    for (const flow of expected)
      for (const [status, codes] of Object.entries(flow.reasons))
        for (const [code, n] of Object.entries(codes))
          (reasons[status] ??= {})[code] = (reasons[status][code] ?? 0) + n;

    const totals = await db.queries.totals({
      agencies: PAIRS.flatMap((pair) => [...pair]),
      fromMonth: '2026-02',
      toMonth: '2026-03',
    });
    expect(totals.byMonth).toEqual(
      ['2026-02', '2026-03'].map((month) => ({
        month,
        ...sumOf(expected.filter((flow) => flow.month === month)),
      })),
    );
    expect(totals.byAgencyPair).toEqual(
      [...PAIRS]
        .sort(([a, b], [c, d]) => `${a}|${b}`.localeCompare(`${c}|${d}`))
        .map(([from, to]) => ({
          from,
          to,
          ...sumOf(expected.filter((flow) => flow.from === from && flow.to === to)),
        })),
    );
    expect(totals.reasons).toEqual(reasons);
  });

  it('show a director only the flows that touch its agencies, and only the months asked for', async () => {
    const flows = await db.queries.flows({
      agencies: ['randers-school'],
      fromMonth: '2026-02',
      toMonth: '2026-02',
    });
    const expected = tally(
      histories.filter(
        (h) => h.month === '2026-02' && (h.from === 'randers-school' || h.to === 'randers-school'),
      ),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(byFlow(flows)).toEqual(expected);
    expect(JSON.stringify(flows)).not.toMatch(/redbridge|east-jutland/);
  });

  it('count chains of redirects by how often the referral bounced', async () => {
    const first = randomUUID();
    const second = randomUUID();
    const third = randomUUID();
    const madeAt = Date.parse('2025-06-10T00:00:00Z');
    const made = (referralId: string, redirectedFrom?: string): ProjectedEvent => ({
      type: 'referral.made.v1',
      subject: referralId,
      time: new Date(madeAt).toISOString(),
      streamversion: 1,
      data: {
        referralId,
        from: 'randers-school',
        to: 'randers-social',
        category: 'safeguarding',
        priority: 'urgent',
        decisionDueBy: new Date(madeAt + 24 * HOUR).toISOString(),
        ...(redirectedFrom ? { redirectedFrom } : {}),
      },
    });
    const redirected = (referralId: string): ProjectedEvent => ({
      type: 'referral.redirected.v1',
      subject: referralId,
      time: new Date(madeAt + HOUR).toISOString(),
      streamversion: 2,
      data: { referralId, to: 'x', newReferralId: randomUUID(), reason: 'x' },
    });
    await inTransaction(db.pool, (client) =>
      applyEventsToTable(
        client,
        REFERRAL_FACT_PROJECTION,
        [
          made(first),
          redirected(first),
          made(second, first),
          redirected(second),
          made(third, second),
          made(randomUUID()),
        ],
        'referral_facts',
      ),
    );
    const chains = await db.queries.redirectChains({
      agencies: ['randers-school'],
      fromMonth: '2025-06',
      toMonth: '2025-06',
    });
    expect(chains).toEqual([{ month: '2025-06', redirectedOnce: 0, redirectedTwiceOrMore: 1 }]);
  });
});
