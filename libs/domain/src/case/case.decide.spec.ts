import { Decision, DomainEvent } from '../decision';
import {
  CaseCommand,
  CaseContext,
  casePartiesOf,
  decideCase,
  decideHandoverDue,
} from './case.decide';
import { evolveCase } from './case.evolve';
import { CaseState, NO_CASE } from './case.state';

const CASE_ID = '44444444-4444-4444-8444-444444444444';
const HOSPITAL = 'redbridge-gp-team';
const SOCIAL_CARE = 'redbridge-adult-social-care';
const NOW = new Date('2026-11-28T12:00:00.000Z');
const subject = { identifiers: [{ system: 'uk-nhs', value: '9434765919' }] };

const context = (sender: string, now = NOW): CaseContext => ({
  sender,
  now,
  subjectId: 'subj-4',
  agencyExists: (id) => [HOSPITAL, SOCIAL_CARE, 'redbridge-housing'].includes(id),
});

const events = (decision: Decision): DomainEvent[] => {
  if (decision.kind !== 'accepted')
    throw new Error(`rejected: ${decision.rejection.code} ${decision.rejection.reason}`);
  return decision.events;
};
const apply = (state: CaseState, decision: Decision): CaseState =>
  events(decision).reduce(evolveCase, state);

/** Given these commands were accepted in order, from these senders. */
const given = (...steps: [CaseCommand, string][]): CaseState =>
  steps.reduce(
    (state, [command, sender]) => apply(state, decideCase(command, state, context(sender))),
    NO_CASE,
  );

const open: CaseCommand = {
  type: 'case.open.v1',
  data: { caseId: CASE_ID, subject, lawfulBasis: { basis: 'public-task' } },
};
const propose = (handoverId: string, effectiveAt?: string): CaseCommand => ({
  type: 'case.handover.propose.v1',
  data: {
    caseId: CASE_ID,
    handoverId,
    to: SOCIAL_CARE,
    reason: 'Discharged home; needs care package',
    summary: 'Mobility limited; lives alone',
    ...(effectiveAt ? { effectiveAt } : {}),
  },
});
const H1 = '55555555-5555-4555-8555-555555555555';
const H2 = '66666666-6666-4666-8666-666666666666';
const acceptH1: CaseCommand = {
  type: 'case.handover.accept.v1',
  data: { caseId: CASE_ID, handoverId: H1 },
};

describe('cases and handovers', () => {
  it('opens a case with the sender responsible', () => {
    const state = given([open, HOSPITAL]);
    expect(state).toMatchObject({
      exists: true,
      responsible: HOSPITAL,
      status: 'open',
      subjectId: 'subj-4',
    });
    expect(decideCase(open, state, context(HOSPITAL))).toMatchObject({
      rejection: { code: 'INVALID_TRANSITION' },
    });
  });

  it('keeps the sender responsible while a handover is proposed, and moves responsibility at completion', () => {
    const proposed = given([open, HOSPITAL], [propose(H1), HOSPITAL]);
    expect(proposed).toMatchObject({
      responsible: HOSPITAL,
      handover: { handoverId: H1, to: SOCIAL_CARE, status: 'proposed' },
    });
    expect(casePartiesOf(proposed)).toEqual([HOSPITAL, SOCIAL_CARE]);

    const decision = decideCase(acceptH1, proposed, context(SOCIAL_CARE));
    expect(events(decision).map((e) => e.type)).toEqual([
      'case.handover-accepted.v1',
      'case.handover-completed.v1',
    ]);
    const after = apply(proposed, decision);
    expect(after).toMatchObject({
      responsible: SOCIAL_CARE,
      handover: undefined,
      previouslyResponsible: [HOSPITAL],
    });
  });

  it('completes a handover with a future effective time only when that time comes', () => {
    const later = '2026-11-30T09:00:00.000Z';
    const proposed = given([open, HOSPITAL], [propose(H1, later), HOSPITAL]);
    const accepted = apply(proposed, decideCase(acceptH1, proposed, context(SOCIAL_CARE)));
    expect(accepted).toMatchObject({
      responsible: HOSPITAL,
      handover: { status: 'accepted', effectiveAt: later },
    });
    expect(decideHandoverDue(accepted, NOW)).toMatchObject({
      rejection: { code: 'INVALID_TRANSITION' },
    });
    const done = apply(accepted, decideHandoverDue(accepted, new Date(later)));
    expect(done).toMatchObject({ responsible: SOCIAL_CARE });
  });

  it('allows one open handover at a time', () => {
    const proposed = given([open, HOSPITAL], [propose(H1), HOSPITAL]);
    expect(decideCase(propose(H2), proposed, context(HOSPITAL))).toMatchObject({
      rejection: {
        code: 'INVALID_TRANSITION',
        reason: expect.stringContaining('one handover at a time'),
      },
    });
  });

  it('lets the receiver decline and the responsible agency cancel, and then propose again with a new id', () => {
    const proposed = given([open, HOSPITAL], [propose(H1), HOSPITAL]);
    const decline: CaseCommand = {
      type: 'case.handover.decline.v1',
      data: { caseId: CASE_ID, handoverId: H1, reason: 'No capacity' },
    };
    const declined = apply(proposed, decideCase(decline, proposed, context(SOCIAL_CARE)));
    expect(declined).toMatchObject({ responsible: HOSPITAL, handover: undefined });
    expect(decideCase(propose(H1), declined, context(HOSPITAL))).toMatchObject({
      rejection: { code: 'INVALID_TRANSITION' },
    });
    const again = apply(declined, decideCase(propose(H2), declined, context(HOSPITAL)));
    const cancel: CaseCommand = {
      type: 'case.handover.cancel.v1',
      data: { caseId: CASE_ID, handoverId: H2, reason: 'Plan changed' },
    };
    expect(decideCase(cancel, again, context(SOCIAL_CARE))).toMatchObject({
      rejection: { code: 'FORBIDDEN' },
    });
    expect(apply(again, decideCase(cancel, again, context(HOSPITAL)))).toMatchObject({
      handover: undefined,
    });
  });

  it('refuses handover commands from the wrong party, and hides the case from strangers', () => {
    const proposed = given([open, HOSPITAL], [propose(H1), HOSPITAL]);
    expect(decideCase(acceptH1, proposed, context(HOSPITAL))).toMatchObject({
      rejection: { code: 'FORBIDDEN' },
    });
    expect(decideCase(acceptH1, proposed, context('redbridge-housing'))).toMatchObject({
      rejection: { code: 'NOT_FOUND' },
    });
    expect(decideCase(propose(H2), given([open, HOSPITAL]), context(SOCIAL_CARE))).toMatchObject({
      rejection: { code: 'NOT_FOUND' },
    });
  });

  it('refuses a handover to an unknown agency or to itself', () => {
    const state = given([open, HOSPITAL]);
    const toNowhere = {
      ...propose(H1),
      data: { ...propose(H1).data, to: 'nowhere' },
    } as CaseCommand;
    expect(decideCase(toNowhere, state, context(HOSPITAL))).toMatchObject({
      rejection: { code: 'UNKNOWN_AGENCY' },
    });
    const toSelf = { ...propose(H1), data: { ...propose(H1).data, to: HOSPITAL } } as CaseCommand;
    expect(decideCase(toSelf, state, context(HOSPITAL))).toMatchObject({
      rejection: { code: 'INVALID' },
    });
  });

  it('closes only without an open handover, and a closed case stays closed', () => {
    const close: CaseCommand = {
      type: 'case.close.v1',
      data: { caseId: CASE_ID, reason: 'Care package in place' },
    };
    const proposed = given([open, HOSPITAL], [propose(H1), HOSPITAL]);
    expect(decideCase(close, proposed, context(HOSPITAL))).toMatchObject({
      rejection: { code: 'INVALID_TRANSITION' },
    });
    const closed = given([open, HOSPITAL], [close, HOSPITAL]);
    expect(closed).toMatchObject({ status: 'closed' });
    expect(decideCase(propose(H1), closed, context(HOSPITAL))).toMatchObject({
      rejection: { code: 'INVALID_TRANSITION' },
    });
  });
});
