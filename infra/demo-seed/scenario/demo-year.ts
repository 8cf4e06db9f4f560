// The demo year's plan: every command the agencies of the demo directory send over a year, in
// the order they send them. Pure and deterministic: a seed and a year always give the same plan.
import {
  MAKE_REFERRAL_V1,
  OPEN_CASE_V1,
  PROPOSE_HANDOVER_V1,
  REDIRECT_REFERRAL_V1,
} from '@backbone/contracts';
import { DEFAULT_DECISION_HOURS } from '@backbone/domain';
import { Country, DAY_MS, OFFICE_HOURS, SiteCalendar } from './calendar';
import {
  CASE_FLOWS,
  CaseFlow,
  REFERRAL_FLOWS,
  ReferralFlow,
  Rhythm,
  seasonFactor,
  Season,
} from './demo-flows';
import { DemoPeople } from './demo-people';
import { tellHandover } from './handover-story';
import type { DemoYearPlan, PlannedCommand } from './planned-command';
import { DecisionHoursOf, ReferralStory } from './referral-story';
import { SeededRandom } from './seeded-random';
import { StoryWriter, laterDays } from './story-writer';

export interface DemoYearOptions {
  seed: number;
  /** Referrals made by their referrers over the year, on average (redirects make more). */
  referrals: number;
  /** The end of the year, exclusive: the seeding's now. */
  end: Date;
  /** Its start: by default the first day of the month eleven months before the end's. */
  start?: Date;
  decisionHoursOf?: DecisionHoursOf;
}

export const DEFAULT_REFERRALS = 3_000;

/**
 * The start of the year ending at `end`: the first of the month eleven months earlier, so that
 * the year is the twelve months the insights show by default (up to and including this one).
 */
export const demoYearStart = (end: Date): Date =>
  new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - 11, 1));

/** Office services' weekdays, Sunday first: busy Mondays, quieter Fridays. */
const WEEKDAY_SHAPE = [1, 1.15, 1.05, 1, 1, 0.8, 1];

interface Volume {
  country: Country;
  rhythm: Rhythm;
  season: Season;
}

/** The UTC days from `start` up to `end`. */
function daysOf(start: Date, end: Date): Date[] {
  const first = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
  const days: Date[] = [];
  for (let day = first; day < end.getTime(); day += DAY_MS) days.push(new Date(day));
  return days;
}

export function planDemoYear(options: DemoYearOptions): DemoYearPlan {
  const { seed, end } = options;
  const start = options.start ?? demoYearStart(end);
  if (!(start < end)) throw new RangeError('the demo year must start before it ends');
  const decisionHoursOf = options.decisionHoursOf ?? (() => DEFAULT_DECISION_HOURS);
  const random = new SeededRandom(seed);
  const days = daysOf(start, end);
  const years = [...new Set(days.map((day) => day.getUTCFullYear()))];
  const calendars = { dk: new SiteCalendar('dk', years), gb: new SiteCalendar('gb', years) };
  const people = {
    dk: new DemoPeople('randers', 'dk', random),
    gb: new DemoPeople('redbridge', 'gb', random),
  };
  const weightOf = (volume: Volume, day: Date): number =>
    volume.rhythm.days[calendars[volume.country].kindOf(day)] *
    (volume.rhythm.roundTheClock ? 1 : WEEKDAY_SHAPE[day.getUTCDay()]) *
    seasonFactor(volume.season, day.getUTCMonth() + 1);
  // Each flow's share of the referrals asked for, spread over the year's days by their weights.
  const perReferral =
    options.referrals / REFERRAL_FLOWS.reduce((sum, flow) => sum + flow.perYear, 0);
  const dailyMean = (volume: Volume & { perYear: number }) => {
    const total = days.reduce((sum, day) => sum + weightOf(volume, day), 0);
    const scale = (volume.perYear * perReferral) / total;
    return (day: Date) => weightOf(volume, day) * scale;
  };
  const referralMeans = REFERRAL_FLOWS.map(dailyMean);
  const caseMeans = CASE_FLOWS.map(dailyMean);

  const commands: PlannedCommand[] = [];
  let stories = 0;
  const writerFor = (id: string) => new StoryWriter(`${id}-${++stories}`, random, end, commands);
  for (const day of days) {
    REFERRAL_FLOWS.forEach((flow, index) => {
      for (let n = random.poisson(referralMeans[index](day)); n > 0; n--) {
        const at = timeOn(day, flow, random);
        if (at < start) continue;
        const story = new ReferralStory(flow, writerFor(flow.id), random, decisionHoursOf);
        story.tell(at, people[flow.country].personFor(flow.age));
      }
    });
    CASE_FLOWS.forEach((flow, index) => {
      for (let n = random.poisson(caseMeans[index](day)); n > 0; n--) {
        const at = timeOn(day, flow, random);
        if (at < start) continue;
        openAndHandOver(flow, at, people[flow.country], writerFor(flow.id), random);
      }
    });
  }
  // Stable: commands sent at the same moment keep the order their stories gave them.
  commands.sort((a, b) => a.at.getTime() - b.at.getTime());
  const count = (type: string) => commands.filter((command) => command.type === type).length;
  return {
    seed,
    start,
    end,
    commands,
    counts: {
      referralsMade: count(MAKE_REFERRAL_V1),
      redirects: count(REDIRECT_REFERRAL_V1),
      casesOpened: count(OPEN_CASE_V1),
      handoversProposed: count(PROPOSE_HANDOVER_V1),
      people: people.dk.count + people.gb.count,
    },
  };
}

/** A moment of the day when the service works: office hours, or any hour (mostly by day). */
function timeOn(day: Date, flow: ReferralFlow | CaseFlow, random: SeededRandom): Date {
  const { opens, hours } = OFFICE_HOURS[flow.country];
  const hour =
    flow.rhythm.roundTheClock && random.chance(0.3)
      ? random.between(0, 24)
      : opens + random.between(0, hours);
  return new Date(day.getTime() + Math.floor(hour * 3600) * 1000);
}

/** A case the agency opens itself, and the handover it proposes later. */
function openAndHandOver(
  flow: CaseFlow,
  at: Date,
  people: DemoPeople,
  writer: StoryWriter,
  random: SeededRandom,
): void {
  const caseId = random.uuid();
  const opened = writer.send(
    at,
    flow.owner,
    OPEN_CASE_V1,
    {
      subject: people.personFor(flow.age),
      lawfulBasis: { basis: flow.basis, consentRef: `consent-${random.integer(1e5, 1e6)}` },
    },
    { case: { caseId } },
  );
  if (!opened) return;
  tellHandover(
    {
      case: { caseId },
      owner: flow.owner,
      to: flow.to,
      at: laterDays(at, random.between(flow.afterDays[0], flow.afterDays[1])),
      mix: flow.mix,
    },
    writer,
    random,
  );
}
