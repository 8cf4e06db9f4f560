import type { ProjectedEvent } from '../engine/projected-event';
import { CASE_VIEW_PROJECTION, CaseViewRow, evolveCaseView } from './case-views/case-view.fold';
import { REFERRAL_VIEW_PROJECTION, evolveReferralView } from './referral-views/referral-view.fold';
import type { ReferralViewRow } from './referral-views/referral-view.row';
import { evolveReferralFact } from './referral-facts/referral-fact.fold';
import { evolveHandoverFact } from './handover-facts/handover-fact.fold';
import type { HandoverFactRow } from './handover-facts/handover-fact.row';
import type { ReferralFactRow } from './referral-facts/referral-fact.row';
import { RowSet, foldEvents } from '../engine/row-projection';
import { copyLine } from '../engine/row-table.sql';

const R = '0b0f3a54-4d43-4c1e-9d0a-6b1f7f0e2a11';
const C = 'c1d2e3f4-0000-4000-8000-000000000001';
const at = (minute: number) => `2025-03-01T08:${String(minute).padStart(2, '0')}:00.000Z`;
const referralEvent = (type: string, version: number, data: object = {}): ProjectedEvent => ({
  type,
  subject: R,
  time: at(version),
  streamversion: version,
  data: { referralId: R, ...data },
});
const made = referralEvent('referral.made.v1', 1, {
  from: 'randers-school',
  to: 'randers-social',
  category: 'child-social-care',
  priority: 'urgent',
  decisionDueBy: '2025-03-02T08:00:00.000Z',
});

const fold = <T>(
  evolve: (row: T | undefined, e: ProjectedEvent) => T | undefined,
  events: ProjectedEvent[],
) => events.reduce<T | undefined>(evolve, undefined);

describe('referral view fold', () => {
  it('makes the row, moves its status and keeps the first decision time', () => {
    const row = fold<ReferralViewRow>(evolveReferralView, [
      made,
      referralEvent('referral.received.v1', 2),
      referralEvent('referral.accepted.v1', 3, { caseId: C }),
      referralEvent('referral.noted.v1', 4, { text: 'not a status change' }),
      referralEvent('referral.completed.v1', 5),
    ]);
    expect(row).toEqual({
      referral_id: R,
      from_agency: 'randers-school',
      to_agency: 'randers-social',
      status: 'completed',
      category: 'child-social-care',
      priority: 'urgent',
      decision_due_by: '2025-03-02T08:00:00.000Z',
      made_at: at(1),
      last_changed_at: at(5),
      stream_version: 5,
      case_id: C,
      redirected_from: null,
      decided_at: at(3),
    });
  });

  it('changes nothing for an event at or below the version the row shows, or without a row', () => {
    const accepted = fold<ReferralViewRow>(evolveReferralView, [
      made,
      referralEvent('referral.accepted.v1', 2, { caseId: C }),
    ]) as ReferralViewRow;
    const redelivered = referralEvent('referral.received.v1', 2);
    expect(evolveReferralView(accepted, redelivered)).toBe(accepted);
    expect(evolveReferralView(accepted, made)).toBe(accepted);
    expect(evolveReferralView(undefined, referralEvent('referral.received.v1', 2))).toBeUndefined();
  });
});

describe('referral facts fold', () => {
  it('records acknowledgement, the first decision, the end and the outcome code', () => {
    const row = fold<ReferralFactRow>(evolveReferralFact, [
      made,
      referralEvent('referral.received.v1', 2),
      referralEvent('referral.accepted.v1', 3, { caseId: C }),
      referralEvent('referral.started.v1', 4),
      referralEvent('referral.completed.v1', 5, { outcome: 'x', outcomeCode: 'service-provided' }),
    ]);
    expect(row).toEqual({
      referral_id: R,
      from_agency: 'randers-school',
      to_agency: 'randers-social',
      category: 'child-social-care',
      priority: 'urgent',
      made_at: at(1),
      decision_due_by: '2025-03-02T08:00:00.000Z',
      acknowledged_at: at(2),
      decided_at: at(3),
      decision: 'accepted',
      status: 'completed',
      ended_at: at(5),
      reason_code: null,
      outcome_code: 'service-provided',
      redirected_from: null,
      stream_version: 5,
    });
  });

  it('counts a decision without acknowledgement as acknowledged then, and keeps the reason code', () => {
    const row = fold<ReferralFactRow>(evolveReferralFact, [
      made,
      referralEvent('referral.redirected.v1', 2, {
        to: 'east-jutland-police',
        reason: 'x',
        reasonCode: 'wrong-service',
      }),
    ]);
    expect(row).toMatchObject({
      acknowledged_at: at(2),
      decided_at: at(2),
      decision: 'redirected',
      status: 'redirected',
      ended_at: at(2),
      reason_code: 'wrong-service',
    });
  });

  it('keeps a cancellation after acceptance as the end, not as a decision', () => {
    const row = fold<ReferralFactRow>(evolveReferralFact, [
      made,
      referralEvent('referral.accepted.v1', 2, { caseId: C }),
      referralEvent('referral.cancelled.v1', 3, { reason: 'x', reasonCode: 'moved-away' }),
    ]);
    expect(row).toMatchObject({
      decision: 'accepted',
      decided_at: at(2),
      status: 'cancelled',
      ended_at: at(3),
      reason_code: 'moved-away',
    });
  });

  it('does not take a withdrawal before the receiver acted for an acknowledgement', () => {
    const row = fold<ReferralFactRow>(evolveReferralFact, [
      made,
      referralEvent('referral.cancelled.v1', 2, { reason: 'x', reasonCode: 'duplicate-referral' }),
    ]);
    expect(row).toMatchObject({
      acknowledged_at: null,
      decided_at: null,
      status: 'cancelled',
      ended_at: at(2),
      reason_code: 'duplicate-referral',
    });
  });

  it('holds nothing personal: no subject, no free text', () => {
    const row = fold<ReferralFactRow>(evolveReferralFact, [
      made,
      referralEvent('referral.rejected.v1', 2, {
        reason: 'Known to the team',
        reasonCode: 'other',
      }),
    ]);
    expect(JSON.stringify(row)).not.toContain('Known to the team');
    expect(Object.keys(row ?? {})).not.toContain('subject_id');
  });
});

describe('handover facts fold', () => {
  const H = 'a1b2c3d4-0000-4000-8000-000000000009';
  const handoverEvent = (type: string, version: number, data: object = {}): ProjectedEvent => ({
    type,
    subject: C,
    time: at(version),
    streamversion: version,
    data: { caseId: C, handoverId: H, ...data },
  });
  const proposed = handoverEvent('case.handover-proposed.v1', 3, {
    from: 'randers-social',
    to: 'redbridge-adult-social-care',
    reason: 'Moved to London',
    summary: 'x',
  });

  it('records the proposal, then each step with its time', () => {
    const row = fold<HandoverFactRow>(evolveHandoverFact, [
      proposed,
      handoverEvent('case.handover-accepted.v1', 4, { effectiveAt: at(9) }),
      handoverEvent('case.handover-completed.v1', 5, { from: 'x', to: 'y' }),
    ]);
    expect(row).toEqual({
      handover_id: H,
      case_id: C,
      from_agency: 'randers-social',
      to_agency: 'redbridge-adult-social-care',
      status: 'completed',
      proposed_at: at(3),
      accepted_at: at(4),
      declined_at: null,
      cancelled_at: null,
      completed_at: at(5),
      stream_version: 5,
    });
    expect(JSON.stringify(row)).not.toContain('Moved to London');
  });

  it('changes nothing for a redelivered step, or a step of a handover it has no row for', () => {
    const declined = fold<HandoverFactRow>(evolveHandoverFact, [
      proposed,
      handoverEvent('case.handover-declined.v1', 4, { reason: 'x' }),
    ]) as HandoverFactRow;
    expect(declined).toMatchObject({ status: 'declined', declined_at: at(4) });
    const again = handoverEvent('case.handover-declined.v1', 4, { reason: 'x' });
    expect(evolveHandoverFact(declined, again)).toBe(declined);
    expect(evolveHandoverFact(undefined, again)).toBeUndefined();
  });
});

describe('case view fold', () => {
  const caseEvent = (type: string, version: number, data: object = {}): ProjectedEvent => ({
    type,
    subject: C,
    time: at(version),
    streamversion: version,
    data: { caseId: C, ...data },
  });
  const opened = caseEvent('case.opened.v1', 1, {
    responsible: 'randers-social',
    fromReferralId: R,
  });

  it('tracks the handover in flight and moves responsibility only when it completes', () => {
    const proposed = fold<CaseViewRow>(evolveCaseView, [
      opened,
      caseEvent('case.handover-proposed.v1', 2, { handoverId: R, to: 'redbridge-housing' }),
    ]);
    expect(proposed).toMatchObject({
      responsible: 'randers-social',
      handover_to: 'redbridge-housing',
      handover_status: 'proposed',
      handover_effective_at: null,
    });
    const completed = [
      caseEvent('case.handover-accepted.v1', 3, { handoverId: R, effectiveAt: at(3) }),
      caseEvent('case.handover-completed.v1', 4, { handoverId: R, to: 'redbridge-housing' }),
    ].reduce(evolveCaseView, proposed);
    expect(completed).toMatchObject({
      responsible: 'redbridge-housing',
      status: 'open',
      handover_id: null,
      handover_to: null,
      handover_status: null,
      stream_version: 4,
      last_changed_at: at(4),
    });
  });

  it('keeps when the handover in flight was proposed, through its acceptance', () => {
    const accepted = fold<CaseViewRow>(evolveCaseView, [
      opened,
      caseEvent('case.handover-proposed.v1', 2, { handoverId: R, to: 'redbridge-housing' }),
      caseEvent('case.handover-accepted.v1', 3, { handoverId: R, effectiveAt: at(9) }),
    ]);
    expect(accepted).toMatchObject({ handover_status: 'accepted', handover_proposed_at: at(2) });
    const completed = evolveCaseView(
      accepted,
      caseEvent('case.handover-completed.v1', 4, { handoverId: R, to: 'redbridge-housing' }),
    );
    expect(completed).toMatchObject({ handover_proposed_at: null });
  });

  it('remembers who declined a handover and when the case was closed after it', () => {
    const H2 = 'c1d2e3f4-0000-4000-8000-000000000002';
    const closed = fold<CaseViewRow>(evolveCaseView, [
      opened,
      caseEvent('case.handover-proposed.v1', 2, { handoverId: R, to: 'redbridge-housing' }),
      caseEvent('case.handover-declined.v1', 3, { handoverId: R, reason: 'r' }),
      // A later handover cancelled by its proposer leaves the decline standing.
      caseEvent('case.handover-proposed.v1', 4, { handoverId: H2, to: 'east-jutland-police' }),
      caseEvent('case.handover-cancelled.v1', 5, { handoverId: H2, reason: 'r' }),
      caseEvent('case.closed.v1', 6, { reason: 'r' }),
    ]);
    expect(closed).toMatchObject({
      status: 'closed',
      responsible: 'randers-social',
      handover_id: null,
      handover_proposed_at: null,
      declined_by: 'redbridge-housing',
      declined_at: at(3),
      closed_at: at(6),
    });
  });

  it('forgets a decline once a later handover completes: the case had a successor', () => {
    const H2 = 'c1d2e3f4-0000-4000-8000-000000000002';
    const handedOver = fold<CaseViewRow>(evolveCaseView, [
      opened,
      caseEvent('case.handover-proposed.v1', 2, { handoverId: R, to: 'redbridge-housing' }),
      caseEvent('case.handover-declined.v1', 3, { handoverId: R, reason: 'r' }),
      caseEvent('case.handover-proposed.v1', 4, { handoverId: H2, to: 'east-jutland-police' }),
      caseEvent('case.handover-accepted.v1', 5, { handoverId: H2, effectiveAt: at(5) }),
      caseEvent('case.handover-completed.v1', 6, { handoverId: H2, to: 'east-jutland-police' }),
      caseEvent('case.closed.v1', 7, { reason: 'r' }),
    ]);
    expect(handedOver).toMatchObject({
      responsible: 'east-jutland-police',
      declined_by: null,
      declined_at: null,
      closed_at: at(7),
    });
  });
});

describe('folding a batch', () => {
  it('gives the rows event-by-event evolution gives, and says which changed', () => {
    const events = [
      made,
      referralEvent('referral.received.v1', 2),
      referralEvent('referral.rejected.v1', 3, { reason: 'r' }),
    ];
    const rows = new RowSet<ReferralViewRow>();
    foldEvents(REFERRAL_VIEW_PROJECTION, rows, events);
    const { fresh, stored } = rows.takeChanged();
    expect(stored).toEqual([]);
    expect(fresh).toEqual([fold<ReferralViewRow>(evolveReferralView, events)]);
    expect(rows.takeChanged()).toEqual({ fresh: [], stored: [] });
  });

  it('folds into rows read from the table, which are written back as updates', () => {
    const rows = new RowSet<CaseViewRow>();
    const opened = {
      type: 'case.opened.v1',
      subject: C.toUpperCase(),
      time: at(1),
      streamversion: 1,
      data: { caseId: C.toUpperCase(), responsible: 'randers-social' },
    };
    const stored = evolveCaseView(undefined, opened) as CaseViewRow;
    rows.putStored(C, stored);
    // Keys are matched as PostgreSQL prints uuids, whatever case an event carries them in.
    foldEvents(CASE_VIEW_PROJECTION, rows, [
      opened,
      { ...opened, type: 'case.closed.v1', streamversion: 2 },
    ]);
    const changed = rows.takeChanged();
    expect(changed.fresh).toEqual([]);
    expect(changed.stored).toMatchObject([{ status: 'closed', stream_version: 2 }]);
  });
});

describe('COPY lines', () => {
  it('escapes what COPY text format must, and writes NULL as \\N', () => {
    const row = { case_id: C, responsible: 'a\tb\\c\nd', stream_version: 3, handover_id: null };
    const projection = {
      ...CASE_VIEW_PROJECTION,
      columns: [
        ['case_id', 'uuid'],
        ['responsible', 'text'],
        ['stream_version', 'integer'],
        ['handover_id', 'uuid'],
      ],
    } as unknown as typeof CASE_VIEW_PROJECTION;
    expect(copyLine(projection, row as unknown as CaseViewRow)).toBe(
      `${C}\ta\\tb\\\\c\\nd\t3\t\\N\n`,
    );
  });
});
