// Property-based, at the decide level: commands that pass validation with the most extreme
// values it allows (any Unicode text up to each limit, timestamps at the ends of the range and
// of the offsets) are decided without throwing, and every event recorded passes its contract
// class again: nothing valid in turns into something the store or a projection cannot take.
import fc from 'fast-check';
import { EVENT_DATA_CLASSES, isStorableText, validateAgainst } from '@backbone/contracts';
import { DEFAULT_DECISION_HOURS } from './referral/decision-deadline';
import { decideMakeReferral } from './referral/make-referral.decide';
import { evolveReferral } from './referral/referral.evolve';
import { decideReferralLifecycle } from './referral/referral-lifecycle.decide';
import { NO_REFERRAL } from './referral/referral.state';
import { decideCase, decideHandoverDue } from './case/case.decide';
import { evolveCase } from './case/case.evolve';
import { NO_CASE } from './case/case.state';
import { caseIdOfReferral } from './case/case-of-referral';
import { Decision } from './decision';

const SCHOOL = 'randers-school';
const SOCIAL = 'randers-social';
const REFERRAL_ID = '77777777-7777-4777-8777-777777777777';
const CASE_ID = '88888888-8888-4888-8888-888888888888';
const HANDOVER_ID = '99999999-9999-4999-8999-999999999991';
const NOW = new Date('2026-12-04T12:00:00.000Z');

/** Text an agency may send: any code point but NUL, from one character up to `max`. */
const text = (max: number) =>
  fc
    .string({ unit: 'binary', minLength: 1, maxLength: max })
    .map((s) => s.split(String.fromCharCode(0)).join('x'))
    .filter((s) => s.length <= max);

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
/** Real timestamps, most of them near the ends of what the validation takes. */
const timestamp = fc
  .record({
    year: fc.oneof(
      fc.constantFrom(1, 2, 1970, 2026, 9998, 9999),
      fc.integer({ min: 1, max: 9999 }),
    ),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    hour: fc.integer({ min: 0, max: 23 }),
    zone: fc.constantFrom('Z', '+14:00', '-14:00', '+05:45', '-00:30'),
  })
  .map(
    (t) =>
      `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:59:59.999999999${t.zone}`,
  )
  .filter(
    (t) =>
      validateAgainst(EVENT_DATA_CLASSES['case.handover-proposed.v1'], probe(t)).errors.length ===
      0,
  );

function probe(effectiveAt: string) {
  return {
    caseId: CASE_ID,
    handoverId: HANDOVER_ID,
    from: SOCIAL,
    to: SCHOOL,
    reason: 'r',
    summary: 's',
    effectiveAt,
  };
}

/** Every event of the decision satisfies its contract class, and holds only storable text. */
function expectStorable(decision: Decision): void {
  if (decision.kind !== 'accepted') return;
  for (const event of decision.events) {
    const contract = EVENT_DATA_CLASSES[event.type];
    expect([event.type, validateAgainst(contract, event.data).errors]).toEqual([event.type, []]);
    expect(isStorableText(JSON.stringify(event.data))).toBe(true);
  }
}

const lookups = {
  acceptedCategoriesOf: () => ['child-social-care' as const],
  decisionHoursOf: () => DEFAULT_DECISION_HOURS,
};

describe('decisions on extreme valid commands', () => {
  it('make, note, hold and complete a referral with any text and any due date', () => {
    fc.assert(
      fc.property(
        fc.record({
          reason: text(4_000),
          value: text(200),
          given: text(200),
          consentRef: text(200),
          dueBy: timestamp,
          note: text(4_000),
          outcome: text(4_000),
        }),
        (values) => {
          const made = decideMakeReferral(
            {
              referralId: REFERRAL_ID,
              to: SOCIAL,
              category: 'child-social-care',
              priority: 'stat',
              reason: values.reason,
              subject: {
                identifiers: [{ system: values.value, value: values.value }],
                name: { given: values.given, family: values.given },
              },
              lawfulBasis: { basis: 'consent', consentRef: values.consentRef },
              dueBy: values.dueBy,
            },
            NO_REFERRAL,
            { ...lookups, from: SCHOOL, now: NOW, subjectId: 'subj' },
          );
          expect(made.kind).toBe('accepted');
          expectStorable(made);
          if (made.kind !== 'accepted') return;
          let state = made.events.reduce(evolveReferral, NO_REFERRAL);
          const steps: [string, Record<string, unknown>, string][] = [
            ['referral.note.v1', { text: values.note }, SCHOOL],
            ['referral.accept.v1', { assignee: values.given }, SOCIAL],
            ['referral.hold.v1', { reason: values.reason }, SOCIAL],
            ['referral.start.v1', {}, SOCIAL],
            [
              'referral.complete.v1',
              { outcome: values.outcome, outcomeCode: 'service-provided' },
              SOCIAL,
            ],
          ];
          for (const [type, data, sender] of steps) {
            const decision = decideReferralLifecycle(
              type,
              { referralId: REFERRAL_ID, ...data },
              state,
              sender,
              { caseIdOf: (referralId) => caseIdOfReferral('extremes-test-key', referralId) },
            );
            expectStorable(decision);
            if (decision.kind === 'accepted') {
              const own = decision.events.filter((e) => e.streamId === `referral-${REFERRAL_ID}`);
              state = own.reduce(evolveReferral, state);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('propose, accept and complete a handover at any real time', () => {
    fc.assert(
      fc.property(text(4_000), timestamp, (summary, effectiveAt) => {
        const context = {
          now: NOW,
          subjectId: 'subj',
          agencyExists: () => true,
        };
        let state = NO_CASE;
        const steps = [
          {
            sender: SOCIAL,
            command: {
              type: 'case.open.v1' as const,
              data: {
                caseId: CASE_ID,
                subject: { identifiers: [{ system: 's', value: summary.slice(0, 200) }] },
                lawfulBasis: { basis: 'public-task' as const },
              },
            },
          },
          {
            sender: SOCIAL,
            command: {
              type: 'case.handover.propose.v1' as const,
              data: {
                caseId: CASE_ID,
                handoverId: HANDOVER_ID,
                to: SCHOOL,
                reason: summary,
                summary,
                effectiveAt,
              },
            },
          },
          {
            sender: SCHOOL,
            command: {
              type: 'case.handover.accept.v1' as const,
              data: { caseId: CASE_ID, handoverId: HANDOVER_ID },
            },
          },
        ];
        for (const { sender, command } of steps) {
          const decision = decideCase(command, state, { ...context, sender });
          expect(decision.kind).toBe('accepted');
          expectStorable(decision);
          if (decision.kind === 'accepted') state = decision.events.reduce(evolveCase, state);
        }
        const due = decideHandoverDue(state, new Date('9999-12-31T23:59:59.999Z'));
        expectStorable(due);
      }),
      { numRuns: 200 },
    );
  });
});
