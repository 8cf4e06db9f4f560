import { scheduleChangeOf } from './deadline-schedule';

describe('deadline schedule', () => {
  it('watches a new referral’s decision deadline until the receiver decides', () => {
    expect(
      scheduleChangeOf({
        type: 'referral.made.v1',
        streamId: 'referral-1',
        data: { decisionDueBy: '2026-11-29T10:00:00.000Z' },
      }),
    ).toEqual({
      change: 'due',
      streamId: 'referral-1',
      kind: 'decision',
      dueAt: '2026-11-29T10:00:00.000Z',
    });
    for (const type of [
      'referral.accepted.v1',
      'referral.rejected.v1',
      'referral.redirected.v1',
      'referral.cancelled.v1',
      'referral.overdue.v1',
    ]) {
      expect(scheduleChangeOf({ type, streamId: 'referral-1', data: {} })).toEqual({
        change: 'clear',
        streamId: 'referral-1',
        kind: 'decision',
      });
    }
    expect(
      scheduleChangeOf({ type: 'referral.received.v1', streamId: 'referral-1', data: {} }),
    ).toBeUndefined();
  });

  it('watches an accepted handover until it completes, or is cancelled or declined', () => {
    expect(
      scheduleChangeOf({
        type: 'case.handover-accepted.v1',
        streamId: 'case-1',
        data: { effectiveAt: '2026-12-01T09:00:00.000Z' },
      }),
    ).toEqual({
      change: 'due',
      streamId: 'case-1',
      kind: 'handover',
      dueAt: '2026-12-01T09:00:00.000Z',
    });
    for (const type of [
      'case.handover-completed.v1',
      'case.handover-cancelled.v1',
      'case.closed.v1',
    ]) {
      expect(scheduleChangeOf({ type, streamId: 'case-1', data: {} })).toEqual({
        change: 'clear',
        streamId: 'case-1',
        kind: 'handover',
      });
    }
  });
});
