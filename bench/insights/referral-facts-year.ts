// A year of a region's referrals as `referral_facts` rows, written straight (no events, no
// fold: the fold has its own tests): the demo directory's two sites, Randers and Redbridge,
// among 40 other agencies, referring mostly within their site, on weekdays in office hours;
// decisions, ends, reason and outcome codes in plausible shares, and some redirects, a few of
// them redirected again.
import type { ReferralCategory, ReferralPriority } from '@backbone/contracts';
import { REFERRAL_CATEGORIES } from '@backbone/contracts';
import { SeededRandom } from '@backbone/testing/seeded-random';
import { DEADLINE_HOURS, Fate, fateOf } from './referral-fate';
import { Weighted, uuid } from './seeded-draws';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Agency {
  id: string;
  site: string;
  weight: number;
}

/** The demo directory's agencies refer three times as much as each of the long tail. */
const DEMO_SITES: Record<string, string[]> = {
  randers: ['randers-school', 'randers-social', 'east-jutland-police'],
  redbridge: [
    'redbridge-gp-team',
    'redbridge-adult-social-care',
    'ilford-jobcentre',
    'redbridge-debt-advice',
    'redbridge-housing',
    'redbridge-drug-rehab',
  ],
};
const OTHER_AGENCIES: [site: string, count: number][] = [
  ['randers', 10],
  ['redbridge', 14],
  ['elsewhere', 16],
];
export const AGENCIES: readonly Agency[] = [
  ...Object.entries(DEMO_SITES).flatMap(([site, ids]) =>
    ids.map((id) => ({ id, site, weight: 3 })),
  ),
  ...OTHER_AGENCIES.flatMap(([site, count]) =>
    Array.from({ length: count }, (_, i) => ({
      id: `${site}-agency-${String(i + 1).padStart(2, '0')}`,
      site,
      weight: 1,
    })),
  ),
];
/** Share of referrals whose receiver is in the referrer's own site. */
const WITHIN_SITE = 0.8;
/** Referrals by weekday, Sunday first: weekdays busy, Friday less, the weekend almost nothing. */
const WEEKDAY_WEIGHTS = [0.1, 1.2, 1.1, 1.0, 1.0, 0.8, 0.15];
const PRIORITIES: [ReferralPriority, number][] = [
  ['routine', 0.7],
  ['urgent', 0.2],
  ['asap', 0.08],
  ['stat', 0.02],
];

export interface FactsYear {
  /** The first moment of the year (inclusive) and the moment after it. */
  start: Date;
  end: Date;
  /** The run's present: nothing after it has happened yet. */
  now: Date;
}

/** A referral's making: by whom, to whom, when, and whether it continues a redirected one. */
interface Making {
  from: string;
  to: string;
  category: ReferralCategory;
  priority: ReferralPriority;
  madeAt: number;
  redirectedFrom: string | null;
}

const PRIORITY = new Weighted(PRIORITIES);

/**
 * `count` rows of `referral_facts` in COPY text format (one line each, in the migration's column
 * order), made over `year`; a redirect's follow-up referral comes right after the one it
 * continues and counts towards `count`.
 */
export function* referralFactLines(count: number, year: FactsYear, seed = 24): Generator<string> {
  const random = new SeededRandom(seed);
  const days = new Weighted(dayWeights(year));
  const { everyone, receiverFor } = agencyDraws(random);

  let written = 0;
  const pending: Making[] = [];
  while (written < count) {
    const from = everyone.draw(random);
    pending.push({
      from,
      to: receiverFor(from, [from]),
      category: random.pick(REFERRAL_CATEGORIES),
      priority: PRIORITY.draw(random),
      madeAt: days.draw(random) + timeOfDay(random),
      redirectedFrom: null,
    });
    while (pending.length && written < count) {
      const making = pending.shift()!;
      const referralId = uuid(random);
      const fate = fateOf(random, making, year.now.getTime());
      yield factLine(referralId, making, fate);
      written++;
      if (fate.status === 'redirected') {
        pending.push({
          ...making,
          to: receiverFor(making.from, [making.from, making.to]),
          madeAt: fate.decidedAt!,
          redirectedFrom: referralId,
        });
      }
    }
  }
}

/**
 * Who sends: any agency by its weight; to whom: another agency, of the sender's own site four
 * times in five.
 */
export function agencyDraws(random: SeededRandom) {
  const siteOf = new Map(AGENCIES.map((agency) => [agency.id, agency.site]));
  const everyone = new Weighted(AGENCIES.map((a) => [a.id, a.weight] as const));
  const sites = new Map(
    [...new Set(siteOf.values())].map((site) => [
      site,
      new Weighted(AGENCIES.filter((a) => a.site === site).map((a) => [a.id, a.weight] as const)),
    ]),
  );
  const receiverFor = (from: string, not: string[]): string => {
    const pool = random.next() < WITHIN_SITE ? sites.get(siteOf.get(from)!)! : everyone;
    for (;;) {
      const to = pool.draw(random);
      if (!not.includes(to)) return to;
    }
  };
  return { everyone, receiverFor };
}

/** Nine in ten in office hours (08-16), the rest at any hour: ms into the day. */
export const timeOfDay = (random: SeededRandom): number =>
  (random.next() < 0.9 ? 8 + 8 * random.next() : 24 * random.next()) * HOUR;

/** Every day of the year with its share of the referrals (weekly rhythm, a quieter July). */
export function dayWeights(year: FactsYear): [number, number][] {
  const days: [number, number][] = [];
  for (let day = year.start.getTime(); day < year.end.getTime(); day += DAY) {
    const date = new Date(day);
    const summer = date.getUTCMonth() === 6 ? 0.6 : 1;
    days.push([day, WEEKDAY_WEIGHTS[date.getUTCDay()] * summer]);
  }
  return days;
}
const iso = (ms: number | null): string => (ms === null ? '\\N' : new Date(ms).toISOString());
const orNull = (value: string | null): string => value ?? '\\N';

function factLine(referralId: string, making: Making, fate: Fate): string {
  const deadline = DEADLINE_HOURS[making.priority] * HOUR;
  return (
    [
      referralId,
      making.from,
      making.to,
      making.category,
      making.priority,
      iso(making.madeAt),
      iso(making.madeAt + deadline),
      iso(fate.acknowledgedAt),
      iso(fate.decidedAt),
      orNull(fate.decision),
      fate.status,
      iso(fate.endedAt),
      orNull(fate.reason),
      orNull(fate.outcome),
      orNull(making.redirectedFrom),
      String(fate.events),
    ].join('\t') + '\n'
  );
}
