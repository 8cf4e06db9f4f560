import {
  MAX_HOLDS_PER_REFERRAL,
  MAX_NOTES_PER_REFERRAL,
  REFERRAL_STATUSES,
  ReferralState,
  ReferralStatus,
  ExistingReferral,
  TERMINAL_STATUSES,
} from './referral.state';
import { decideReferralLifecycle } from './referral-lifecycle.decide';
import { evolveReferral } from './referral.evolve';
import { derivedUuid } from '../derived-id';
import { identifierKey } from '../subject-id';
import { caseIdKeyOf, caseIdOfReferral } from '../case/case-of-referral';

const REFERRAL_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const REFERRER = 'randers-school';
const RECEIVER = 'randers-social';
const CASE_ID_KEY = caseIdKeyOf('test-subject-id-key');
const context = { caseIdOf: (referralId: string) => caseIdOfReferral(CASE_ID_KEY, referralId) };

const referralIn = (status: ReferralStatus): ExistingReferral => ({
  exists: true,
  referralId: REFERRAL_ID,
  from: REFERRER,
  to: RECEIVER,
  status,
  category: 'child-social-care',
  priority: 'urgent',
  decisionDueBy: '2026-11-29T10:00:00.000Z',
  subjectId: 'subj-1',
  subject: { identifiers: [{ system: 'dk-cpr', value: '0101125678' }] },
  lawfulBasis: { basis: 'public-task' },
  reason: 'Repeated absence',
  overdueNotified: false,
  noteCount: 0,
  holdCount: 0,
});

/** CONTRACT §4: the command, who sends it, where it is allowed, the event it records. */
const TABLE: {
  type: string;
  by: string;
  allowedIn: ReferralStatus[] | 'open';
  event: string;
  data: object;
}[] = [
  {
    type: 'referral.acknowledge.v1',
    by: RECEIVER,
    allowedIn: ['requested'],
    event: 'referral.received.v1',
    data: {},
  },
  {
    type: 'referral.accept.v1',
    by: RECEIVER,
    allowedIn: ['requested', 'received'],
    event: 'referral.accepted.v1',
    data: {},
  },
  {
    type: 'referral.reject.v1',
    by: RECEIVER,
    allowedIn: ['requested', 'received'],
    event: 'referral.rejected.v1',
    data: { reason: 'No capacity' },
  },
  {
    type: 'referral.start.v1',
    by: RECEIVER,
    allowedIn: ['accepted', 'on-hold'],
    event: 'referral.started.v1',
    data: {},
  },
  {
    type: 'referral.hold.v1',
    by: RECEIVER,
    allowedIn: ['accepted', 'in-progress'],
    event: 'referral.held.v1',
    data: { reason: 'Family away' },
  },
  {
    type: 'referral.complete.v1',
    by: RECEIVER,
    allowedIn: ['accepted', 'in-progress'],
    event: 'referral.completed.v1',
    data: { outcome: 'Support plan in place', outcomeCode: 'service-provided' },
  },
  {
    type: 'referral.fail.v1',
    by: RECEIVER,
    allowedIn: ['in-progress', 'on-hold'],
    event: 'referral.failed.v1',
    data: { reason: 'Moved away' },
  },
  {
    type: 'referral.cancel.v1',
    by: REFERRER,
    allowedIn: 'open',
    event: 'referral.cancelled.v1',
    data: { reason: 'Sent in error' },
  },
  {
    type: 'referral.note.v1',
    by: REFERRER,
    allowedIn: 'open',
    event: 'referral.noted.v1',
    data: { text: 'New address attached' },
  },
  {
    type: 'referral.note.v1',
    by: RECEIVER,
    allowedIn: 'open',
    event: 'referral.noted.v1',
    data: { text: 'Please send the last report' },
  },
];

describe('referral lifecycle: every command in every status', () => {
  for (const row of TABLE) {
    for (const status of REFERRAL_STATUSES) {
      const allowed = TERMINAL_STATUSES.has(status)
        ? false
        : row.allowedIn === 'open' || row.allowedIn.includes(status);
      it(`${row.type} by ${row.by} when ${status} is ${allowed ? `recorded as ${row.event}` : 'INVALID_TRANSITION'}`, () => {
        const decision = decideReferralLifecycle(
          row.type,
          { referralId: REFERRAL_ID, ...row.data },
          referralIn(status),
          row.by,
          context,
        );
        if (allowed) {
          expect(decision.kind).toBe('accepted');
          if (decision.kind === 'accepted') expect(decision.events[0].type).toBe(row.event);
        } else {
          expect(decision).toEqual({
            kind: 'rejected',
            rejection: {
              code: 'INVALID_TRANSITION',
              reason: expect.stringContaining(`is ${status}`),
            },
          });
        }
      });
    }
  }
});

describe('referral lifecycle: who may act', () => {
  it('refuses the referrer a receiver command, naming the receiver', () => {
    const decision = decideReferralLifecycle(
      'referral.accept.v1',
      { referralId: REFERRAL_ID },
      referralIn('requested'),
      REFERRER,
      context,
    );
    expect(decision).toEqual({
      kind: 'rejected',
      rejection: {
        code: 'FORBIDDEN',
        reason: `only its receiver (${RECEIVER}) can have referral ${REFERRAL_ID} accepted`,
      },
    });
  });

  it('refuses the receiver a cancel, which is the referrer’s', () => {
    const decision = decideReferralLifecycle(
      'referral.cancel.v1',
      { referralId: REFERRAL_ID, reason: 'x' },
      referralIn('requested'),
      RECEIVER,
      context,
    );
    expect(decision.kind === 'rejected' && decision.rejection.code).toBe('FORBIDDEN');
  });

  it('does not reveal a referral to an agency that is not a party', () => {
    const decision = decideReferralLifecycle(
      'referral.note.v1',
      { referralId: REFERRAL_ID, text: 'hi' },
      referralIn('requested'),
      'east-jutland-police',
      context,
    );
    expect(decision.kind === 'rejected' && decision.rejection.code).toBe('NOT_FOUND');
  });

  it('answers NOT_FOUND for a referral that does not exist', () => {
    const decision = decideReferralLifecycle(
      'referral.accept.v1',
      { referralId: REFERRAL_ID },
      { exists: false },
      RECEIVER,
      context,
    );
    expect(decision.kind === 'rejected' && decision.rejection.code).toBe('NOT_FOUND');
  });

  it('tells the referrer why a completed referral cannot be cancelled', () => {
    const decision = decideReferralLifecycle(
      'referral.cancel.v1',
      { referralId: REFERRAL_ID, reason: 'x' },
      referralIn('completed'),
      REFERRER,
      context,
    );
    expect(decision.kind === 'rejected' && decision.rejection.reason).toBe(
      `referral ${REFERRAL_ID} is completed; a completed referral cannot be cancelled`,
    );
  });
});

describe('accepting a referral', () => {
  it('opens the receiver’s case for the person, with an id keyed from the referral', () => {
    const decision = decideReferralLifecycle(
      'referral.accept.v1',
      { referralId: REFERRAL_ID, assignee: 'Team North' },
      referralIn('received'),
      RECEIVER,
      context,
    );
    if (decision.kind !== 'accepted') throw new Error('expected acceptance');
    const caseId = caseIdOfReferral(CASE_ID_KEY, REFERRAL_ID);
    expect(decision.events).toEqual([
      {
        type: 'referral.accepted.v1',
        streamId: `referral-${REFERRAL_ID}`,
        data: { referralId: REFERRAL_ID, caseId, assignee: 'Team North' },
      },
      {
        type: 'case.opened.v1',
        streamId: `case-${caseId}`,
        data: expect.objectContaining({
          caseId,
          responsible: RECEIVER,
          subjectId: 'subj-1',
          fromReferralId: REFERRAL_ID,
        }),
      },
    ]);
    const after = evolveReferral(referralIn('received'), decision.events[0]);
    expect(after).toMatchObject({ status: 'accepted', caseId });
  });
});

describe('the id of the case an acceptance opens', () => {
  it('is the same on every re-decision, and not what anyone without the key can compute', () => {
    const caseId = caseIdOfReferral(CASE_ID_KEY, REFERRAL_ID);
    expect(caseIdOfReferral(CASE_ID_KEY, REFERRAL_ID)).toBe(caseId);
    expect(caseId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // The derivation before it was keyed, which a referrer could compute from its referral id.
    expect(caseId).not.toBe(derivedUuid('case-of-referral', REFERRAL_ID));
    expect(caseIdOfReferral(caseIdKeyOf('another-deployment'), REFERRAL_ID)).not.toBe(caseId);
    // Nor is it a subject id an agency could see for an identifier it chose.
    const asIdentifier = identifierKey('test-subject-id-key', {
      system: 'case-ids-of-accepted-referrals',
      value: REFERRAL_ID,
    });
    expect(caseId.replace(/-/g, '')).not.toBe(asIdentifier.slice(0, 32));
  });
});

describe('notes on one referral', () => {
  const note = (referral: ExistingReferral, by = RECEIVER) =>
    decideReferralLifecycle(
      'referral.note.v1',
      { referralId: REFERRAL_ID, text: 'Called the family.' },
      referral,
      by,
      context,
    );

  it('are counted by the state, which keeps none of their text', () => {
    let state: ReferralState = referralIn('accepted');
    for (let i = 0; i < 3; i++) {
      const decision = note(state as ExistingReferral);
      if (decision.kind !== 'accepted') throw new Error('expected the note to be taken');
      state = decision.events.reduce(evolveReferral, state);
    }
    expect(state).toMatchObject({ noteCount: 3 });
    expect(JSON.stringify(state)).not.toContain('Called the family.');
  });

  it(`are taken up to ${MAX_NOTES_PER_REFERRAL}, then refused with a reason naming the limit`, () => {
    const nearlyFull = { ...referralIn('in-progress'), noteCount: MAX_NOTES_PER_REFERRAL - 1 };
    expect(note(nearlyFull).kind).toBe('accepted');
    const full = { ...nearlyFull, noteCount: MAX_NOTES_PER_REFERRAL };
    for (const by of [RECEIVER, REFERRER]) {
      const refused = note(full, by);
      expect(refused).toMatchObject({
        kind: 'rejected',
        rejection: { code: 'INVALID_TRANSITION' },
      });
      expect(refused.kind === 'rejected' && refused.rejection.reason).toContain(
        `${MAX_NOTES_PER_REFERRAL} notes`,
      );
    }
    // A full referral can still be worked on and closed.
    const complete = decideReferralLifecycle(
      'referral.complete.v1',
      { referralId: REFERRAL_ID, outcome: 'Support delivered', outcomeCode: 'service-provided' },
      full,
      RECEIVER,
      context,
    );
    expect(complete.kind).toBe('accepted');
  });
});

describe('holds on one referral', () => {
  const hold = (referral: ExistingReferral) =>
    decideReferralLifecycle(
      'referral.hold.v1',
      { referralId: REFERRAL_ID, reason: 'Waiting for the family' },
      referral,
      RECEIVER,
      context,
    );

  it(`are counted, taken up to ${MAX_HOLDS_PER_REFERRAL}, then refused naming the limit`, () => {
    let state: ReferralState = referralIn('in-progress');
    for (const type of ['referral.hold.v1', 'referral.start.v1', 'referral.hold.v1']) {
      const decision = decideReferralLifecycle(
        type,
        { referralId: REFERRAL_ID, reason: 'Waiting for the family' },
        state,
        RECEIVER,
        context,
      );
      if (decision.kind !== 'accepted') throw new Error(`expected ${type} to be taken`);
      state = decision.events.reduce(evolveReferral, state);
    }
    expect(state).toMatchObject({ status: 'on-hold', holdCount: 2 });

    const nearlyFull = { ...referralIn('in-progress'), holdCount: MAX_HOLDS_PER_REFERRAL - 1 };
    expect(hold(nearlyFull).kind).toBe('accepted');
    const refused = hold({ ...nearlyFull, holdCount: MAX_HOLDS_PER_REFERRAL });
    expect(refused).toMatchObject({ kind: 'rejected', rejection: { code: 'INVALID_TRANSITION' } });
    expect(refused.kind === 'rejected' && refused.rejection.reason).toContain(
      `${MAX_HOLDS_PER_REFERRAL} times`,
    );
  });
});

describe('referral lifecycle: coded reasons', () => {
  const coded = [
    { type: 'referral.reject.v1', by: RECEIVER, status: 'received', event: 'referral.rejected.v1' },
    { type: 'referral.fail.v1', by: RECEIVER, status: 'in-progress', event: 'referral.failed.v1' },
    {
      type: 'referral.cancel.v1',
      by: REFERRER,
      status: 'requested',
      event: 'referral.cancelled.v1',
    },
  ] as const;

  for (const row of coded) {
    it(`${row.event} records the reason code ${row.type} gave, and none when it gave none`, () => {
      const decide = (data: object) =>
        decideReferralLifecycle(
          row.type,
          { referralId: REFERRAL_ID, reason: 'Already known to the team', ...data },
          referralIn(row.status),
          row.by,
          context,
        );
      const withCode = decide({ reasonCode: 'already-known' });
      const withoutCode = decide({});
      if (withCode.kind !== 'accepted' || withoutCode.kind !== 'accepted')
        throw new Error('expected acceptance');
      expect(withCode.events[0]).toMatchObject({
        type: row.event,
        data: { reason: 'Already known to the team', reasonCode: 'already-known' },
      });
      expect(withoutCode.events[0].data).not.toHaveProperty('reasonCode');
    });
  }
});
