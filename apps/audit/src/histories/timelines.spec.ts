import type { StoredEvent } from '@backbone/event-store';
import { referralTimeline, subjectTimeline } from './timelines';

let position = 0;
const event = (streamId: string, type: string, data: Record<string, unknown>): StoredEvent => {
  position += 1;
  return {
    eventId: `e-${position}`,
    streamId,
    streamVersion: position,
    globalPosition: String(position),
    transactionId: '1',
    type,
    data,
    metadata: { actingAgency: 'randers-social', actor: 'Bo', causationId: `c-${position}` },
    recordedAt: new Date(Date.UTC(2025, 0, 1, 0, position)).toISOString(),
    hash: 'ab',
  };
};

const made = (referralId: string) =>
  event(`referral-${referralId}`, 'referral.made.v1', {
    referralId,
    from: 'randers-school',
    to: 'randers-social',
    subjectId: 'subj-1',
    lawfulBasis: { basis: 'public-task' },
    subject: '[erased]',
    reason: '[erased]',
  });

describe('timelines', () => {
  it('gives each referral event the status it led to, and the state after the last', () => {
    const { entries, state } = referralTimeline([
      made('r1'),
      event('referral-r1', 'referral.noted.v1', { referralId: 'r1', text: 'x' }),
      event('referral-r1', 'referral.accepted.v1', { referralId: 'r1', caseId: 'c1' }),
    ]);
    expect(entries.map((e) => [e.type, e.statusAfter])).toEqual([
      ['referral.made.v1', 'requested'],
      ['referral.noted.v1', 'requested'],
      ['referral.accepted.v1', 'accepted'],
    ]);
    expect(entries[0]).toMatchObject({
      actingAgency: 'randers-social',
      actor: 'Bo',
      lawfulBasis: { basis: 'public-task' },
      causationId: 'c-1',
    });
    expect(entries[1].lawfulBasis).toBeUndefined();
    expect(state).toMatchObject({ status: 'accepted', caseId: 'c1', reason: '[erased]' });
    expect(referralTimeline([]).state).toBeNull();
  });

  it("folds each of a person's referrals and cases on its own, in store order", () => {
    const timeline = subjectTimeline([
      made('r2'),
      event('case-c2', 'case.opened.v1', {
        caseId: 'c2',
        responsible: 'randers-social',
        subjectId: 'subj-1',
      }),
      made('r3'),
      event('case-c2', 'case.handover-completed.v1', {
        caseId: 'c2',
        handoverId: 'h',
        from: 'randers-social',
        to: 'east-jutland-police',
      }),
      event('subject-subj-1', 'subject.erased.v1', { subjectId: 'subj-1', erasedBy: 'ops' }),
    ]);
    expect(timeline.entries.map((e) => [e.streamId, e.statusAfter, e.responsibleAfter])).toEqual([
      ['referral-r2', 'requested', undefined],
      ['case-c2', 'open', 'randers-social'],
      ['referral-r3', 'requested', undefined],
      ['case-c2', 'open', 'east-jutland-police'],
      ['subject-subj-1', undefined, undefined],
    ]);
    expect(timeline.referrals.map((r) => r.referralId)).toEqual(['r2', 'r3']);
    expect(timeline.cases).toMatchObject([
      { responsible: 'east-jutland-police', previouslyResponsible: ['randers-social'] },
    ]);
    expect(timeline.erased).toEqual({ at: timeline.entries[4].recordedAt, by: 'ops' });
  });
});
