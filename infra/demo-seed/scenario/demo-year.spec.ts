// The demo year's plan, checked without I/O: the same seed plans the same year; the rhythm and
// the designed patterns are there; and every command, replayed in order through the domain's
// own decisions (the deadline watcher's handover completions included), gets the outcome the
// scenario expects, so the seeding cannot meet an impossible sequence.
import { createHash } from 'node:crypto';
import {
  HANDOVER_ACCEPTED_V1,
  MAKE_REFERRAL_V1,
  REDIRECT_REFERRAL_V1,
  REFERRAL_ACCEPTED_V1,
  REJECT_REFERRAL_V1,
} from '@backbone/contracts';
import { loadDirectory } from '@backbone/directory';
import {
  CommandContext,
  DEFAULT_DECISION_HOURS,
  DomainEvent,
  decideCommand,
  decideHandoverDue,
  personNamedBy,
  streamIdOfCommand,
} from '@backbone/domain';
import { parseCommand } from '../../../apps/sector-service/src/command-intake/parse-command';
import { shapeOfStream } from '../../../apps/sector-service/src/commands/aggregate-shapes';
import { commandEnvelope } from '../command-envelope';
import { dayOf } from './calendar';
import { planDemoYear } from './demo-year';
import type { DemoYearPlan, PlannedCommand } from './planned-command';

const END = new Date('2026-12-05T12:00:00Z');
const plan = planDemoYear({ seed: 1, referrals: 3_000, end: END });

const uuidOf = (text: string): string => {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** Each command's outcome when the plan is decided in order by the domain, in memory. */
function replay(year: DemoYearPlan): { command: PlannedCommand; outcome: string }[] {
  const directory = loadDirectory();
  const lookups = {
    acceptedCategoriesOf: (id: string) => directory.agency(id)?.accepts,
    decisionHoursOf: () => DEFAULT_DECISION_HOURS,
    caseIdOf: (referralId: string) => uuidOf(`case-of:${referralId}`),
    agencyExists: (id: string) => directory.agency(id) !== undefined,
  };
  const states = new Map<string, unknown>();
  const stateOf = (streamId: string) => states.get(streamId) ?? shapeOfStream(streamId).initial;
  const record = (events: DomainEvent[]) => {
    for (const event of events)
      states.set(
        event.streamId,
        shapeOfStream(event.streamId).evolve(stateOf(event.streamId), event),
      );
  };
  const caseOfReferral = new Map<string, string>();
  /** Accepted handovers waiting for their time, by case stream: the deadline watcher's work. */
  const takingEffect = new Map<string, Date>();

  return year.commands.map((command) => {
    for (const [streamId, at] of takingEffect) {
      if (at > command.at) continue;
      const due = decideHandoverDue(stateOf(streamId) as never, at);
      if (due.kind === 'accepted') record(due.events);
      takingEffect.delete(streamId);
    }
    const caseId =
      command.case &&
      ('caseId' in command.case
        ? command.case.caseId
        : caseOfReferral.get(command.case.caseOfReferral));
    const parsed = parseCommand(JSON.stringify(commandEnvelope(command, year.seed, caseId)));
    if (parsed.kind !== 'envelope')
      return { command, outcome: parsed.kind === 'refused' ? parsed.code : 'unanswerable' };
    const { data } = parsed;
    const named = personNamedBy(command.type, data);
    const context: CommandContext = {
      ...lookups,
      sender: command.sender,
      now: command.at,
      subjectId: named ? `subject-${named[0].value}` : undefined,
    };
    const streamId = streamIdOfCommand(command.type, data);
    const decision = decideCommand(command.type, data, stateOf(streamId), context);
    if (decision.kind === 'rejected')
      return { command, outcome: `${decision.rejection.code}: ${decision.rejection.reason}` };
    record(decision.events);
    for (const event of decision.events) {
      const eventData = event.data as { referralId: string; caseId: string; effectiveAt: string };
      if (event.type === REFERRAL_ACCEPTED_V1)
        caseOfReferral.set(eventData.referralId, eventData.caseId);
      if (event.type === HANDOVER_ACCEPTED_V1)
        takingEffect.set(event.streamId, new Date(eventData.effectiveAt));
    }
    return { command, outcome: 'accepted' };
  });
}

const makes = (commands: PlannedCommand[]) => commands.filter((c) => c.type === MAKE_REFERRAL_V1);
const monthOf = (at: Date) => at.toISOString().slice(0, 7);

describe('the demo year plan', () => {
  it('gets every command the outcome the scenario expects, decided in order by the domain', () => {
    const outcomes = replay(plan);
    const unexpected = outcomes.filter(({ command, outcome }) =>
      command.expected === 'accepted'
        ? outcome !== 'accepted'
        : !outcome.startsWith(command.expected),
    );
    expect(
      unexpected.slice(0, 5).map(({ command, outcome }) => `${command.type}: ${outcome}`),
    ).toEqual([]);
    // Some rejections are meant: a receiver accepting what its referrer has just withdrawn.
    expect(
      outcomes.filter(({ command }) => command.expected !== 'accepted').length,
    ).toBeGreaterThan(5);
  });

  it('is the same for the same seed and another for another seed', () => {
    const again = planDemoYear({ seed: 1, referrals: 3_000, end: END });
    expect(again).toEqual(plan);
    const other = planDemoYear({ seed: 2, referrals: 3_000, end: END });
    expect(other.commands.map((c) => c.commandId)).not.toEqual(
      plan.commands.map((c) => c.commandId),
    );
  });

  it('spans the twelve months up to the end, in order, each story later than its causes', () => {
    expect(plan.start.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    const times = plan.commands.map((c) => c.at.getTime());
    expect(Math.min(...times)).toBeGreaterThanOrEqual(plan.start.getTime());
    expect(Math.max(...times)).toBeLessThan(END.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const lastOfStory = new Map<string, number>();
    for (const { story, at } of plan.commands) {
      expect(at.getTime()).toBeGreaterThan(lastOfStory.get(story) ?? -Infinity);
      lastOfStory.set(story, at.getTime());
    }
    expect(new Set(plan.commands.map((c) => c.commandId)).size).toBe(plan.commands.length);
  });

  it('makes about as many referrals as asked for, at a weekly rhythm with quiet holidays', () => {
    const made = makes(plan.commands);
    expect(made.length).toBeGreaterThan(2_700);
    expect(made.length).toBeLessThan(3_300);
    expect(plan.counts.referralsMade).toBe(made.length);
    const weekend = made.filter((c) => [0, 6].includes(c.at.getUTCDay())).length;
    expect(weekend / made.length).toBeLessThan(0.06);
    const christmasDay = made.filter((c) => dayOf(c.at) === '2026-12-25').length;
    const mondays = made.filter((c) => c.at.getUTCDay() === 1).length / 48;
    expect(christmasDay).toBeLessThan(mondays / 3);
    const small = planDemoYear({ seed: 1, referrals: 300, end: END });
    expect(makes(small.commands).length).toBeGreaterThan(240);
    expect(makes(small.commands).length).toBeLessThan(360);
  });

  it('has a winter peak and a quiet school summer', () => {
    const inMonth = (month: string, from?: string) =>
      makes(plan.commands).filter((c) => monthOf(c.at) === month && (!from || c.sender === from))
        .length;
    expect(inMonth('2026-01')).toBeGreaterThan(inMonth('2026-07') * 1.3);
    expect(inMonth('2026-09', 'randers-school')).toBeGreaterThan(
      inMonth('2026-07', 'randers-school') * 5,
    );
  });

  it("rejects the jobcentre's debt-advice referrals for capacity in winter", () => {
    const debtMonth = new Map(
      makes(plan.commands)
        .filter((c) => c.sender === 'ilford-jobcentre' && c.data.to === 'redbridge-debt-advice')
        .map((c) => [c.data.referralId, monthOf(c.at)]),
    );
    const share = (months: string[]) => {
      const of = [...debtMonth.values()].filter((m) => months.includes(m)).length;
      const full = plan.commands.filter(
        (c) =>
          c.type === REJECT_REFERRAL_V1 &&
          c.data.reasonCode === 'no-capacity' &&
          months.includes(debtMonth.get(c.data.referralId) ?? ''),
      ).length;
      return full / of;
    };
    expect(share(['2026-01', '2026-02', '2026-03'])).toBeGreaterThan(0.25);
    expect(share(['2026-05', '2026-06', '2026-07', '2026-08', '2026-09'])).toBeLessThan(0.1);
  });

  it("bounces the school's safeguarding referrals via the police, twice or more", () => {
    const redirectsOf = new Map<string, number>();
    const rootOf = new Map<string, string>();
    for (const c of plan.commands) {
      if (c.type === MAKE_REFERRAL_V1 && c.sender === 'randers-school')
        rootOf.set(c.data.referralId as string, c.data.referralId as string);
      if (c.type !== REDIRECT_REFERRAL_V1) continue;
      const root = rootOf.get(c.data.referralId as string);
      if (!root) continue;
      rootOf.set(c.data.newReferralId as string, root);
      redirectsOf.set(root, (redirectsOf.get(root) ?? 0) + 1);
    }
    const twice = [...redirectsOf.values()].filter((n) => n >= 2).length;
    expect(twice).toBeGreaterThan(40);
  });

  it('leaves most monthly pair counts at five or more and a few under', () => {
    const counts = new Map<string, number>();
    const fromOf = new Map<string, string>();
    const count = (at: Date, from: string, to: unknown) => {
      const key = `${monthOf(at)} ${from} ${String(to)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    };
    for (const c of plan.commands) {
      if (c.type === MAKE_REFERRAL_V1) {
        fromOf.set(c.data.referralId as string, c.sender);
        count(c.at, c.sender, c.data.to);
      }
      if (c.type === REDIRECT_REFERRAL_V1) {
        const from = fromOf.get(c.data.referralId as string) as string;
        fromOf.set(c.data.newReferralId as string, from);
        count(c.at, from, c.data.to);
      }
    }
    const all = [...counts.values()];
    const under = all.filter((n) => n < 5).length;
    expect(under).toBeGreaterThan(5);
    expect(under / all.length).toBeLessThan(0.3);
  });
});
