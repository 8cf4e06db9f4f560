import { randomUUID } from 'node:crypto';
import type { BackdatedEvent } from './backdated-append';
import { SeededRandom } from './seeded-random';

// A year of synthetic cooperation between the demo directory's agencies, as referral histories
// (made, received, decided, started, completed; some redirected, a chain that bounces twice, a
// few left waiting), for pictures of the directors' page. Nobody real is in it: subjects are
// numbered, texts say they are synthetic.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Flow {
  from: string;
  to: string;
  category: string;
  /** Referrals a month, before the season's rhythm. */
  perMonth: number;
  /** Who the receiver redirects to, where the category lets it. */
  redirectTo?: string;
}

const FLOWS: Flow[] = [
  { from: 'randers-school', to: 'randers-social', category: 'child-social-care', perMonth: 24 },
  {
    from: 'randers-school',
    to: 'randers-social',
    category: 'safeguarding',
    perMonth: 6,
    redirectTo: 'east-jutland-police',
  },
  { from: 'east-jutland-police', to: 'randers-social', category: 'safeguarding', perMonth: 11 },
  { from: 'randers-social', to: 'east-jutland-police', category: 'youth-justice', perMonth: 6 },
  { from: 'randers-social', to: 'randers-school', category: 'education-welfare', perMonth: 8 },
  { from: 'randers-school', to: 'east-jutland-police', category: 'youth-justice', perMonth: 2 },
  {
    from: 'redbridge-gp-team',
    to: 'redbridge-adult-social-care',
    category: 'adult-social-care',
    perMonth: 12,
  },
];

/** Fewer referrals in the summer holidays and at Christmas, more after them. */
const SEASON = [1.1, 1.15, 1.05, 1, 1, 0.9, 0.45, 0.8, 1.2, 1.1, 1.05, 0.75];

const REJECTION_CODES: (string | undefined)[] = [
  'not-eligible',
  'not-eligible',
  'not-eligible',
  'no-capacity',
  'no-capacity',
  'insufficient-information',
  'insufficient-information',
  'already-known',
  'wrong-service',
  undefined,
];
const OUTCOME_CODES = ['service-provided', 'service-provided', 'no-further-action', 'referred-on'];

export interface SyntheticHistory {
  streamId: string;
  from: string;
  to: string;
  events: BackdatedEvent[];
}

/**
 * Histories for the twelve months up to `now` (the current month only up to now), with the same
 * histories for the same seed and moment. Referrals made in the last few days may be waiting.
 */
export function syntheticYear(now: Date, seed = 24): SyntheticHistory[] {
  const random = new SeededRandom(seed);
  const histories: SyntheticHistory[] = [];
  let subjects = 0;
  const thisMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);

  const referral = (
    flow: Flow,
    madeAt: number,
    redirectedFrom?: { id: string; by: string },
  ): string => {
    const referralId = randomUUID();
    const streamId = `referral-${referralId}`;
    const events: BackdatedEvent[] = [];
    const add = (type: string, at: number, by: string, data: object = {}) =>
      events.push({
        eventId: randomUUID(),
        type,
        data: { referralId, ...data },
        metadata: {
          parties: [flow.from, flow.to],
          actingAgency: by,
          source: 'backbone/sector-service',
        },
        recordedAt: new Date(at),
      });
    subjects++;
    add('referral.made.v1', madeAt, flow.from, {
      from: flow.from,
      to: flow.to,
      category: flow.category,
      priority: 'routine',
      reason: 'Synthetic referral for a picture of the insights page',
      subjectId: `synthetic-subject-${subjects}`,
      subject: { identifiers: [{ system: 'urn:synthetic', value: String(subjects) }] },
      lawfulBasis: { basis: 'public-task' },
      decisionDueBy: new Date(madeAt + 3 * DAY).toISOString(),
      ...(redirectedFrom
        ? { redirectedFrom: redirectedFrom.id, redirectedBy: redirectedFrom.by }
        : {}),
    });
    histories.push({ streamId, from: flow.from, to: flow.to, events });
    decide();
    return referralId;

    /** What the receiver did with it, and how it ended, as far as `now`. */
    function decide(): void {
      const receivedAt = madeAt + (1 + random.next() * 20) * HOUR;
      const decidedAt = receivedAt + (2 + random.next() * 90) * HOUR;
      // Waiting still: made in the last days, or now and then left undecided a while.
      if (decidedAt > now.getTime() || (madeAt > now.getTime() - 20 * DAY && random.next() < 0.1)) {
        if (receivedAt < now.getTime()) add('referral.received.v1', receivedAt, flow.to);
        return;
      }
      add('referral.received.v1', receivedAt, flow.to);
      const fate = random.next();
      if (flow.redirectTo && !redirectedFrom && fate < 0.35) {
        const newReferral = { ...flow, from: flow.from, to: flow.redirectTo };
        const next = referral(newReferral, decidedAt + 1, { id: referralId, by: flow.to });
        add('referral.redirected.v1', decidedAt, flow.to, {
          to: flow.redirectTo,
          newReferralId: next,
          reason: 'Synthetic: better placed elsewhere',
          reasonCode: 'wrong-service',
        });
        return;
      }
      if (fate < 0.27) {
        const reasonCode = random.pick(REJECTION_CODES);
        add('referral.rejected.v1', decidedAt, flow.to, {
          reason: 'Synthetic rejection',
          ...(reasonCode ? { reasonCode } : {}),
        });
        return;
      }
      add('referral.accepted.v1', decidedAt, flow.to, { caseId: randomUUID() });
      const startedAt = decidedAt + (4 + random.next() * 60) * HOUR;
      if (startedAt > now.getTime()) return;
      add('referral.started.v1', startedAt, flow.to);
      const completedAt = startedAt + (3 + random.next() * 40) * DAY;
      if (completedAt > now.getTime() || random.next() < 0.08) return;
      add('referral.completed.v1', completedAt, flow.to, {
        outcome: 'Synthetic outcome',
        outcomeCode: random.pick(OUTCOME_CODES),
      });
    }
  };

  for (let back = 11; back >= 0; back--) {
    const monthStart = new Date(thisMonth);
    monthStart.setUTCMonth(monthStart.getUTCMonth() - back);
    const start = monthStart.getTime();
    const monthEnd = new Date(start);
    monthEnd.setUTCMonth(monthEnd.getUTCMonth() + 1);
    const end = Math.min(monthEnd.getTime(), now.getTime() - HOUR);
    const season = SEASON[monthStart.getUTCMonth()];
    for (const flow of FLOWS) {
      const count = Math.round(flow.perMonth * season * (0.8 + random.next() * 0.4));
      for (let n = 0; n < count; n++) referral(flow, start + random.next() * (end - start));
    }
  }
  // One safeguarding referral bounces twice, back to where it began, and waits there.
  referralChain(FLOWS[1], now.getTime() - 9 * DAY);
  return histories;

  /** School to social care, redirected to the police, redirected back to social care. */
  function referralChain(flow: Flow, madeAt: number): void {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const hops: [string, string][] = [
      [flow.from, flow.to],
      [flow.from, 'east-jutland-police'],
      [flow.from, flow.to],
    ];
    hops.forEach(([from, to], index) => {
      const at = madeAt + index * 2 * DAY;
      const event = (type: string, when: number, by: string, data: object) => ({
        eventId: randomUUID(),
        type,
        data: { referralId: ids[index], ...data },
        metadata: { parties: [from, to], actingAgency: by, source: 'backbone/sector-service' },
        recordedAt: new Date(when),
      });
      if (index === 0) subjects++;
      const events: BackdatedEvent[] = [
        event('referral.made.v1', at, from, {
          from,
          to,
          category: flow.category,
          priority: 'routine',
          reason: 'Synthetic referral for a picture of the insights page',
          subjectId: `synthetic-subject-${subjects}`,
          subject: { identifiers: [{ system: 'urn:synthetic', value: String(subjects) }] },
          lawfulBasis: { basis: 'public-task' },
          decisionDueBy: new Date(at + 3 * DAY).toISOString(),
          ...(index ? { redirectedFrom: ids[index - 1], redirectedBy: hops[index - 1][1] } : {}),
        }),
      ];
      if (index < 2)
        events.push(
          event('referral.redirected.v1', at + 2 * DAY - HOUR, to, {
            to: hops[index + 1][1],
            newReferralId: ids[index + 1],
            reason: 'Synthetic: better placed elsewhere',
            reasonCode: 'wrong-service',
          }),
        );
      histories.push({ streamId: `referral-${ids[index]}`, from, to, events });
    });
  }
}
