import type { Decision, ReferralState } from '@backbone/domain';
import type { StoredEvent } from '@backbone/event-store';
import { DecidedStreams, StreamAlreadyStartedError } from './decided-streams';

const REFERRAL = 'referral-7c9e6679-7425-40de-944b-e07fc1f90ae7';
const OTHER_REFERRAL = 'referral-0b5c2f51-9f4e-4f0e-8c37-2f1d0a4e8d11';
const stamp = { causationId: 'cmd-1', correlationId: 'cmd-1', actingAgency: 'randers-social' };

const MADE = {
  referralId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  from: 'randers-school',
  to: 'randers-social',
  category: 'child-social-care',
  priority: 'urgent',
  decisionDueBy: '2026-11-29T10:00:00.000Z',
  subjectId: 'subj-1',
  reason: 'Repeated absence',
};

function stored(streamId: string, version: number, type: string, data: object): StoredEvent {
  return {
    eventId: `event-${version}`,
    type,
    data: { ...data },
    metadata: {},
    streamId,
    streamVersion: version,
    globalPosition: String(version),
    transactionId: '1',
    recordedAt: '2026-11-28T10:00:00.000Z',
    hash: '',
  };
}

const accepted = (streamId: string, type: string, data: object = {}): Decision => ({
  kind: 'accepted',
  events: [{ streamId, type, data: { ...data } }],
});

/** Acknowledges a referral that is requested; anything else is refused. */
const acknowledge = (state: unknown): Decision =>
  (state as ReferralState).exists &&
  (state as ReferralState & { status: string }).status === 'requested'
    ? accepted(REFERRAL, 'referral.received.v1')
    : { kind: 'rejected', rejection: { code: 'INVALID_TRANSITION', reason: 'not requested' } };

describe('DecidedStreams', () => {
  const readAtTwo = (): DecidedStreams =>
    new DecidedStreams([
      [
        REFERRAL,
        [
          stored(REFERRAL, 1, 'referral.made.v1', MADE),
          stored(REFERRAL, 2, 'referral.noted.v1', { note: 'called the school' }),
        ],
      ],
    ]);

  it('decides later commands on what earlier ones accepted, in one append per stream', () => {
    const streams = readAtTwo();
    const first = streams.decide(REFERRAL, acknowledge, stamp);
    const second = streams.decide(REFERRAL, acknowledge, stamp);

    expect(first).toMatchObject({ kind: 'accepted', streamVersion: 3 });
    expect(second).toMatchObject({ kind: 'rejected' });
    const [append, ...others] = streams.pendingAppends();
    expect(others).toEqual([]);
    expect(append).toMatchObject({ streamId: REFERRAL, expected: 2, subjectId: 'subj-1' });
    expect(append.events.map((event) => event.type)).toEqual(['referral.received.v1']);
    expect(append.events[0].metadata).toMatchObject({
      causationId: 'cmd-1',
      actingAgency: 'randers-social',
      parties: ['randers-school', 'randers-social'],
    });
    expect(first.kind === 'accepted' && first.eventIds).toEqual([append.events[0].eventId]);
  });

  it('keeps the state as read apart from what the decisions changed', () => {
    const streams = readAtTwo();
    streams.decide(REFERRAL, acknowledge, stamp);
    expect(streams.stateAsRead(REFERRAL)).toMatchObject({ status: 'requested' });
    expect(streams.stateAsRead(OTHER_REFERRAL)).toMatchObject({ exists: false });
  });

  it('starts a stream it did not read, leaving its absence for the store to check', () => {
    const streams = readAtTwo();
    const madeElsewhere = { ...MADE, referralId: '0b5c2f51-9f4e-4f0e-8c37-2f1d0a4e8d11' };
    const decided = streams.decide(
      REFERRAL,
      () => ({
        kind: 'accepted',
        events: [
          { streamId: REFERRAL, type: 'referral.redirected.v1', data: {} },
          { streamId: OTHER_REFERRAL, type: 'referral.made.v1', data: madeElsewhere },
        ],
      }),
      stamp,
    );

    expect(decided).toMatchObject({ kind: 'accepted', streamVersion: 3 });
    const appends = streams.pendingAppends();
    // In the order the decision touched them: the store numbers the events so.
    expect(appends.map((append) => [append.streamId, append.expected])).toEqual([
      [REFERRAL, 2],
      [OTHER_REFERRAL, 'no-stream'],
    ]);
  });

  it('refuses to start a stream it read as existing', () => {
    const streams = readAtTwo();
    expect(() =>
      streams.decide(OTHER_REFERRAL, () => accepted(REFERRAL, 'referral.made.v1', MADE), stamp),
    ).toThrow(StreamAlreadyStartedError);
  });

  it('appends nothing for a rejected decision', () => {
    const streams = new DecidedStreams([[REFERRAL, []]]);
    expect(streams.decide(REFERRAL, acknowledge, stamp)).toMatchObject({ kind: 'rejected' });
    expect(streams.pendingAppends()).toEqual([]);
  });
});
