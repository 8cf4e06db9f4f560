import { TimelineRow, detailsOf, renderTimeline } from './timeline-table';

const row = (overrides: Partial<TimelineRow>): TimelineRow => ({
  streamId: 'referral-1',
  streamVersion: 1,
  type: 'referral.made.v1',
  recordedAt: '2025-03-01T09:15:00.000Z',
  actingAgency: 'randers-school',
  actor: 'Mette Jensen, school nurse',
  statusAfter: 'requested',
  data: {},
  ...overrides,
});

describe('the terminal timeline', () => {
  it('says what each event did, without the ids every row shares', () => {
    expect(
      detailsOf(
        row({
          lawfulBasis: { basis: 'public-task' },
          data: {
            referralId: '1',
            subjectId: 's',
            lawfulBasis: { basis: 'public-task' },
            to: 'randers-social',
            reason: 'Signs of neglect',
            subject: { name: { given: 'Freja', family: 'Nielsen' } },
          },
        }),
      ),
    ).toBe('basis=public-task to=randers-social reason="Signs of neglect" subject="Freja Nielsen"');
    expect(detailsOf(row({ data: { reason: '[erased]' } }))).toBe('reason=[erased]');
  });

  it('lines the columns up and clips only the details to the width', () => {
    const table = renderTimeline(
      [
        row({ data: { reason: 'x'.repeat(300) } }),
        row({
          type: 'referral.accepted.v1',
          actingAgency: 'randers-social',
          actor: null,
          statusAfter: 'accepted',
        }),
      ],
      140,
    );
    const lines = table.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^#\s+recorded at \(UTC\)\s+event\s+agency\s+actor\s+status after\s+details$/,
    );
    expect(lines[2]).toMatch(
      /^1 {2}2025-03-01 09:15:00\.000 {2}referral\.made\.v1 {6}randers-school/,
    );
    expect(lines[2].length).toBe(140);
    expect(lines[2].endsWith('…')).toBe(true);
    expect(lines[3].lastIndexOf('accepted')).toBe(lines[2].indexOf('requested'));
  });
});
