// Realistic referral and case histories for the rebuild benchmark: agencies of the demo
// directory make referrals and work them through their lifecycles, accept them into cases and
// hand cases over, all decided by the domain's own pure functions, so every event is what the
// sector service would have appended for the same commands. Thousands of lifecycles run
// interleaved, so one referral's events lie far apart in the global log, as they would.
import { randomUUID } from 'node:crypto';
import type { ReferralCategory } from '@backbone/contracts';
import { loadDirectory } from '@backbone/directory';
import {
  CaseCommand,
  CaseState,
  DEFAULT_DECISION_HOURS,
  Decision,
  NO_CASE,
  NO_REFERRAL,
  ReferralState,
  RecordedEvent,
  caseIdKeyOf,
  caseIdOfReferral,
  casePartiesOf,
  decideCase,
  decideMakeReferral,
  decideRedirectReferral,
  decideReferralLifecycle,
  decideReferralOverdue,
  evolveCase,
  evolveReferral,
  identifierKey,
  newSubjectId,
} from '@backbone/domain';
import type { NewEvent } from '@backbone/event-store';
import { SeededRandom } from '@backbone/testing/seeded-random';

/** What one command left in the store: events for one or more streams, in one transaction. */
export interface Commit {
  recordedAt: string;
  appends: { streamId: string; events: NewEvent[] }[];
}

/** Sender → receiver → category, where the demo directory's receiver takes that category. */
/** Case ids as the sector service derives them, under a bench-only key. */
const CASE_ID_KEY = caseIdKeyOf('bench-subject-id-key');
const cases = { caseIdOf: (referralId: string) => caseIdOfReferral(CASE_ID_KEY, referralId) };

const ROUTES: [string, string, ReferralCategory][] = [
  ['randers-school', 'randers-social', 'child-social-care'],
  ['randers-school', 'randers-social', 'safeguarding'],
  ['east-jutland-police', 'randers-social', 'safeguarding'],
  ['randers-social', 'east-jutland-police', 'youth-justice'],
  ['redbridge-gp-team', 'redbridge-adult-social-care', 'adult-social-care'],
  ['redbridge-adult-social-care', 'redbridge-gp-team', 'mental-health'],
  ['ilford-jobcentre', 'redbridge-debt-advice', 'debt-advice'],
  ['redbridge-debt-advice', 'redbridge-housing', 'housing-support'],
  ['redbridge-housing', 'redbridge-drug-rehab', 'substance-misuse'],
  ['redbridge-drug-rehab', 'ilford-jobcentre', 'employment-support'],
];
const HANDOVER_TARGETS = ['redbridge-housing', 'redbridge-adult-social-care', 'randers-social'];
const PRIORITIES = ['routine', 'routine', 'urgent', 'asap', 'stat'] as const;
const GIVEN = ['Freja', 'Oliver', 'Amira', 'Noah', 'Sofie', 'Kwame', 'Ida', 'Mohammed', 'Ella'];
const FAMILY = ['Nielsen', 'Jensen', 'Hansen', 'Khan', 'Okafor', 'Smith', 'Patel', 'Larsen'];
const REASONS = [
  'Repeated absence this term and signs of neglect observed by staff; parents not reachable.',
  'Discharged after a fall; lives alone and needs support with daily living at home.',
  'Arrears on rent and council tax; bailiff letters received; consents to debt advice.',
  'Disclosed alcohol use affecting work search; asks for help from a recovery service.',
  'Low mood for several months, missed appointments; the family asks for an assessment.',
];

type Step =
  | 'acknowledge'
  | 'accept'
  | 'reject'
  | 'redirect'
  | 'start'
  | 'hold'
  | 'complete'
  | 'fail'
  | 'cancel'
  | 'note'
  | 'overdue';
type CaseStep = 'propose' | 'accept-handover' | 'decline' | 'cancel-handover' | 'close';

/** Lifecycles and how often they occur (weights). */
const REFERRAL_PLANS: [number, Step[]][] = [
  [30, ['acknowledge', 'accept', 'start', 'note', 'complete']],
  [10, ['accept', 'hold', 'start', 'complete']],
  [5, ['acknowledge', 'accept', 'start', 'hold', 'fail']],
  [14, ['acknowledge', 'note', 'reject']],
  [8, ['acknowledge', 'redirect']],
  [7, ['acknowledge', 'cancel']],
  [10, ['overdue', 'accept', 'start', 'complete']],
  [10, ['note', 'accept', 'note', 'start', 'note', 'complete']],
  [6, ['acknowledge', 'accept']],
];
const CASE_PLANS: [number, CaseStep[]][] = [
  [45, ['close']],
  [25, ['propose', 'accept-handover', 'close']],
  [10, ['propose', 'decline', 'close']],
  [5, ['propose', 'cancel-handover']],
  [15, []],
];

/** How a stream's state evolves and who its parties are (as the sector service sees them). */
const SHAPES = {
  referral: {
    initial: NO_REFERRAL as unknown,
    evolve: evolveReferral as (state: unknown, event: RecordedEvent) => unknown,
    partiesOf: (state: unknown): string[] => {
      const referral = state as ReferralState;
      return referral.exists ? [referral.from, referral.to] : [];
    },
  },
  case: {
    initial: NO_CASE as unknown,
    evolve: evolveCase as (state: unknown, event: RecordedEvent) => unknown,
    partiesOf: (state: unknown): string[] => casePartiesOf(state as CaseState),
  },
};
const shapeOf = (streamId: string) =>
  streamId.startsWith('case-') ? SHAPES.case : SHAPES.referral;

interface Lifecycle {
  streamId: string;
  kind: 'referral' | 'case';
  state: unknown;
  steps: string[];
  handover?: { id: string; to: string };
}

function weighted<T>(random: SeededRandom, plans: [number, T][]): T {
  const total = plans.reduce((sum, [weight]) => sum + weight, 0);
  let roll = random.next() * total;
  for (const [weight, plan] of plans) {
    roll -= weight;
    if (roll < 0) return plan;
  }
  return plans[plans.length - 1][1];
}

/**
 * Generates commits until at least `targetEvents` events were recorded, `inFlight` lifecycles
 * at a time. Deterministic for a seed (ids aside).
 */
export function* referralHistories(
  targetEvents: number,
  { seed = 20251128, inFlight = 5_000 } = {},
): Generator<Commit> {
  const random = new SeededRandom(seed);
  const directory = loadDirectory();
  const lookups = {
    acceptedCategoriesOf: (id: string) => directory.agency(id)?.accepts,
    decisionHoursOf: (id: string) => ({
      ...DEFAULT_DECISION_HOURS,
      ...directory.agency(id)?.decisionHours,
    }),
  };
  const AGENCIES = directory.agencies().map((agency) => agency.id);
  const subjectKey = 'development-only-subject-id-key';
  const active: Lifecycle[] = [];
  let clock = Date.parse('2025-01-06T08:00:00.000Z');
  let events = 0;
  let people = 0;

  /** The commit a decision makes, and the states of the streams it touched. */
  const record = (
    decision: Decision,
    sender: string,
    states: Map<string, unknown>,
    actor?: string,
  ): Commit | undefined => {
    if (decision.kind === 'rejected') return undefined;
    const commandId = randomUUID();
    const byStream = new Map<string, typeof decision.events>();
    for (const event of decision.events)
      byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event]);
    const appends = [...byStream].map(([streamId, own]) => {
      const shape = shapeOf(streamId);
      const before = states.get(streamId) ?? shape.initial;
      const after = own.reduce(shape.evolve, before);
      // Both sides of a change hear of it: the parties before and after.
      const parties = [...new Set([...shape.partiesOf(before), ...shape.partiesOf(after)])];
      states.set(streamId, after);
      return {
        streamId,
        events: own.map((event) => ({
          eventId: randomUUID(),
          type: event.type,
          data: event.data,
          metadata: {
            source: 'backbone/sector-service',
            causationId: commandId,
            correlationId: commandId,
            actingAgency: sender,
            parties,
            ...(actor ? { actor } : {}),
          },
        })),
      };
    });
    events += decision.events.length;
    return { recordedAt: new Date(clock).toISOString(), appends };
  };

  const makeReferral = (
    from: string,
    to: string,
    category: ReferralCategory,
  ): Commit | undefined => {
    const person = people++;
    const identifier = { system: 'urn:oid:1.2.208.176.1.2', value: String(1e9 + person) };
    const referralId = randomUUID();
    const decision = decideMakeReferral(
      {
        referralId,
        to,
        category,
        priority: random.pick(PRIORITIES),
        reason: random.pick(REASONS),
        subject: {
          identifiers: [identifier],
          name: { given: random.pick(GIVEN), family: random.pick(FAMILY) },
          birthDate: `19${50 + (person % 50)}-0${1 + (person % 9)}-1${person % 10}`,
        },
        lawfulBasis: { basis: 'public-task' },
      },
      NO_REFERRAL,
      {
        ...lookups,
        from,
        now: new Date(clock),
        subjectId: newSubjectId(identifierKey(subjectKey, identifier)),
      },
    );
    const states = new Map<string, unknown>();
    const commit = record(decision, from, states, 'Case worker');
    if (commit) {
      const [streamId, state] = [...states][0];
      active.push({
        streamId,
        kind: 'referral',
        state,
        steps: [...weighted(random, REFERRAL_PLANS)],
      });
    }
    return commit;
  };

  const referralStep = (life: Lifecycle, step: string): Commit | undefined => {
    const state = life.state as ReferralState & { exists: true };
    const { referralId, from, to } = state;
    const states = new Map<string, unknown>([[life.streamId, state]]);
    const byReceiver = (type: string, data: object = {}) =>
      record(decideReferralLifecycle(type, { referralId, ...data }, state, to, cases), to, states);
    let commit: Commit | undefined;
    switch (step) {
      case 'redirect': {
        // Another agency that takes the category; where there is none, the receiver rejects.
        const target = AGENCIES.find(
          (id) =>
            id !== from && id !== to && lookups.acceptedCategoriesOf(id)?.includes(state.category),
        );
        if (!target) return referralStep(life, 'reject');
        const newReferralId = randomUUID();
        const decision = decideRedirectReferral(
          { referralId, to: target, reason: 'Better placed to act', newReferralId },
          state,
          to,
          { ...lookups, now: new Date(clock) },
        );
        commit = record(decision, to, states);
        const redirected = states.get(`referral-${newReferralId}`);
        if (commit && redirected)
          active.push({
            streamId: `referral-${newReferralId}`,
            kind: 'referral',
            state: redirected,
            steps: ['acknowledge', 'accept', 'complete'],
          });
        break;
      }
      case 'overdue': {
        const late = new Date(Date.parse(state.decisionDueBy) + 60_000);
        commit = record(decideReferralOverdue(state, late), 'backbone', states);
        break;
      }
      case 'cancel':
        commit = record(
          decideReferralLifecycle(
            'referral.cancel.v1',
            { referralId, reason: 'Family moved away' },
            state,
            from,
            cases,
          ),
          from,
          states,
        );
        break;
      case 'note':
        commit = byReceiver('referral.note.v1', { text: 'Spoke with the family; visit booked.' });
        break;
      case 'complete':
        commit = byReceiver('referral.complete.v1', {
          outcome: 'Support plan agreed and delivered',
          outcomeCode: 'service-provided',
        });
        break;
      case 'reject':
      case 'hold':
      case 'fail':
        commit = byReceiver(`referral.${step}.v1`, { reason: 'Outside our remit at present' });
        break;
      default:
        commit = byReceiver(`referral.${step}.v1`);
    }
    if (commit && step === 'accept') {
      const caseId = cases.caseIdOf(referralId);
      active.push({
        streamId: `case-${caseId}`,
        kind: 'case',
        state: states.get(`case-${caseId}`),
        steps: [...weighted(random, CASE_PLANS)],
      });
    }
    life.state = states.get(life.streamId);
    return commit;
  };

  const caseStep = (life: Lifecycle, step: string): Commit | undefined => {
    const state = life.state as CaseState & { exists: true };
    const { caseId, responsible } = state;
    const states = new Map<string, unknown>([[life.streamId, state]]);
    const decide = (sender: string, command: CaseCommand) =>
      record(
        decideCase(command, state, {
          sender,
          now: new Date(clock),
          agencyExists: (id) => directory.agency(id) !== undefined,
        }),
        sender,
        states,
      );
    let commit: Commit | undefined;
    if (step === 'propose') {
      const to = random.pick(HANDOVER_TARGETS.filter((t) => t !== responsible));
      life.handover = { id: randomUUID(), to };
      commit = decide(responsible, {
        type: 'case.handover.propose.v1',
        data: { caseId, handoverId: life.handover.id, to, reason: 'Moved', summary: 'Summary' },
      });
    } else if (step === 'close') {
      commit = decide(responsible, {
        type: 'case.close.v1',
        data: { caseId, reason: 'Support completed' },
      });
    } else if (life.handover) {
      const { id: handoverId, to } = life.handover;
      const [type, sender, data] =
        step === 'accept-handover'
          ? ['case.handover.accept.v1', to, { caseId, handoverId }]
          : step === 'decline'
            ? ['case.handover.decline.v1', to, { caseId, handoverId, reason: 'No capacity' }]
            : ['case.handover.cancel.v1', responsible, { caseId, handoverId, reason: 'Resolved' }];
      commit = decide(sender, { type, data } as CaseCommand);
      life.handover = undefined;
    }
    life.state = states.get(life.streamId);
    return commit;
  };

  while (events < targetEvents) {
    clock += 1 + Math.floor(random.next() * 400);
    if (active.length < inFlight) {
      const [from, to, category] = random.pick(ROUTES);
      const commit = makeReferral(from, to, category);
      if (commit) yield commit;
      continue;
    }
    const index = Math.floor(random.next() * active.length);
    const life = active[index];
    const step = life.steps.shift();
    if (!life.steps.length) {
      active[index] = active[active.length - 1];
      active.pop();
    }
    if (!step) continue;
    const commit = life.kind === 'referral' ? referralStep(life, step) : caseStep(life, step);
    if (commit) yield commit;
  }
}
