// Property-based: random command sequences from random agencies, decided and applied in turn.
import fc from 'fast-check';
import { DEFAULT_DECISION_HOURS } from './referral/decision-deadline';
import { decideMakeReferral } from './referral/make-referral.decide';
import { decideRedirectReferral } from './referral/redirect-referral.decide';
import {
  decideReferralLifecycle,
  REFERRAL_LIFECYCLE_COMMANDS,
} from './referral/referral-lifecycle.decide';
import { evolveReferral } from './referral/referral.evolve';
import { NO_REFERRAL, ReferralState, isTerminal } from './referral/referral.state';
import { CaseCommand, decideCase } from './case/case.decide';
import { evolveCase } from './case/case.evolve';
import { CaseState, NO_CASE } from './case/case.state';
import { caseIdOfReferral } from './case/case-of-referral';
import { EVENT_DATA_CLASSES, validateAgainst } from '@backbone/contracts';
import { Decision } from './decision';

/** Every event the domain records satisfies its published contract class. */
function expectContractShape(decision: Decision): void {
  if (decision.kind !== 'accepted') return;
  for (const event of decision.events) {
    const contract = EVENT_DATA_CLASSES[event.type];
    expect(contract).toBeDefined();
    expect(validateAgainst(contract, event.data).errors).toEqual([]);
  }
}

const AGENCIES = [
  'redbridge-gp-team',
  'redbridge-adult-social-care',
  'redbridge-housing',
  'ilford-jobcentre',
];
const REFERRAL_ID = '77777777-7777-4777-8777-777777777777';
const CASE_ID = '88888888-8888-4888-8888-888888888888';
const HANDOVER_IDS = [
  '99999999-9999-4999-8999-999999999991',
  '99999999-9999-4999-8999-999999999992',
];
const NOW = new Date('2026-11-28T12:00:00.000Z');
const lookups = {
  acceptedCategoriesOf: () => ['adult-social-care' as const],
  decisionHoursOf: () => DEFAULT_DECISION_HOURS,
};

const referralCommand = fc.record({
  type: fc.constantFrom('referral.make.v1', 'referral.redirect.v1', ...REFERRAL_LIFECYCLE_COMMANDS),
  sender: fc.constantFrom(...AGENCIES),
  to: fc.constantFrom(...AGENCIES),
});

function decideReferralStep(
  state: ReferralState,
  step: { type: string; sender: string; to: string },
): Decision {
  const base = {
    referralId: REFERRAL_ID,
    reason: 'r',
    text: 't',
    outcome: 'o',
    outcomeCode: 'service-provided' as const,
  };
  if (step.type === 'referral.make.v1') {
    const make = {
      referralId: REFERRAL_ID,
      to: step.to,
      category: 'adult-social-care' as const,
      priority: 'urgent' as const,
      reason: 'r',
      subject: { identifiers: [{ system: 's', value: 'v' }] },
      lawfulBasis: { basis: 'public-task' as const },
    };
    return decideMakeReferral(make, state, {
      ...lookups,
      from: step.sender,
      now: NOW,
      subjectId: 'subj',
    });
  }
  if (step.type === 'referral.redirect.v1') {
    const redirect = {
      ...base,
      to: step.to,
      newReferralId: '77777777-7777-4777-8777-777777777778',
    };
    return decideRedirectReferral(redirect, state, step.sender, { ...lookups, now: NOW });
  }
  return decideReferralLifecycle(step.type, base, state, step.sender, {
    caseIdOf: (referralId) => caseIdOfReferral('property-test-key', referralId),
  });
}

const caseCommand = fc.record({
  type: fc.constantFrom(
    'case.open.v1',
    'case.close.v1',
    'case.handover.propose.v1',
    'case.handover.accept.v1',
    'case.handover.decline.v1',
    'case.handover.cancel.v1',
  ),
  sender: fc.constantFrom(...AGENCIES),
  to: fc.constantFrom(...AGENCIES),
  handover: fc.constantFrom(...HANDOVER_IDS),
  later: fc.boolean(),
});

function toCaseCommand(step: {
  type: string;
  to: string;
  handover: string;
  later: boolean;
}): CaseCommand {
  const ids = { caseId: CASE_ID, handoverId: step.handover };
  switch (step.type) {
    case 'case.open.v1':
      return {
        type: 'case.open.v1',
        data: {
          caseId: CASE_ID,
          subject: { identifiers: [{ system: 's', value: 'v' }] },
          lawfulBasis: { basis: 'consent' },
        },
      };
    case 'case.close.v1':
      return { type: 'case.close.v1', data: { caseId: CASE_ID, reason: 'r' } };
    case 'case.handover.propose.v1':
      return {
        type: 'case.handover.propose.v1',
        data: {
          ...ids,
          to: step.to,
          reason: 'r',
          summary: 's',
          ...(step.later ? { effectiveAt: '2026-12-01T00:00:00.000Z' } : {}),
        },
      };
    case 'case.handover.accept.v1':
      return { type: 'case.handover.accept.v1', data: ids };
    case 'case.handover.decline.v1':
      return { type: 'case.handover.decline.v1', data: { ...ids, reason: 'r' } };
    default:
      return { type: 'case.handover.cancel.v1', data: { ...ids, reason: 'r' } };
  }
}

describe('domain properties', () => {
  it('never records an event for a referral in a terminal status, and answers every command once', () => {
    fc.assert(
      fc.property(fc.array(referralCommand, { maxLength: 40 }), (steps) => {
        let state: ReferralState = NO_REFERRAL;
        for (const step of steps) {
          const decision = decideReferralStep(state, step);
          expect(['accepted', 'rejected']).toContain(decision.kind);
          expectContractShape(decision);
          if (decision.kind !== 'accepted') continue;
          if (state.exists) expect(isTerminal(state.status)).toBe(false);
          const own = decision.events.filter((e) => e.streamId === `referral-${REFERRAL_ID}`);
          state = own.reduce(evolveReferral, state);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('keeps exactly one responsible agency for an open case, changed only by a completed handover', () => {
    fc.assert(
      fc.property(fc.array(caseCommand, { maxLength: 40 }), (steps) => {
        let state: CaseState = NO_CASE;
        for (const step of steps) {
          const decision = decideCase(toCaseCommand(step), state, {
            sender: step.sender,
            now: NOW,
            subjectId: 'subj',
            agencyExists: (id) => AGENCIES.includes(id),
          });
          expectContractShape(decision);
          if (decision.kind !== 'accepted') continue;
          for (const event of decision.events) {
            const before = state;
            state = evolveCase(state, event);
            if (!state.exists) continue;
            expect(AGENCIES).toContain(state.responsible);
            if (before.exists && before.responsible !== state.responsible) {
              expect(event.type).toBe('case.handover-completed.v1');
            }
            if (before.exists && before.status === 'closed')
              throw new Error(`${event.type} recorded on a closed case`);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
