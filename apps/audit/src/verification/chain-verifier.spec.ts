import { StoredEvent, verifyChain } from '@backbone/event-store';
import { ChainVerifier, RecordedHead } from './chain-verifier';
import { chainedStream, headOf } from './chain-test-events';

const incrementally = (events: StoredEvent[], head: RecordedHead | undefined) => {
  const verifier = new ChainVerifier();
  for (const event of events) verifier.add(event);
  return verifier.finish(head);
};

describe('checking a chain one event at a time', () => {
  const stream = chainedStream('thing-1', 6);
  const head = headOf(stream);
  const swapped = [...stream];
  [swapped[2], swapped[3]] = [
    { ...stream[3], streamVersion: 3 },
    { ...stream[2], streamVersion: 4 },
  ];
  const cases: [string, StoredEvent[], RecordedHead | undefined][] = [
    ['an intact stream', stream, head],
    ['an empty stream without a record', [], undefined],
    ['events without a stream record', stream, undefined],
    [
      'a changed field',
      stream.map((e, i) => (i === 2 ? { ...e, data: { ...e.data, n: 99 } } : e)),
      head,
    ],
    [
      'a changed actor',
      stream.map((e, i) => (i === 4 ? { ...e, metadata: { actor: 'x' } } : e)),
      head,
    ],
    ['a deleted event', stream.filter((_, i) => i !== 3), head],
    ['a deleted last event', stream.slice(0, -1), head],
    ['every event deleted', [], head],
    [
      'an inserted event',
      [...stream.slice(0, 2), { ...stream[2], eventId: 'x' }, ...stream.slice(2)],
      head,
    ],
    ['two events swapped', swapped, head],
    ['a tail beyond the record', stream, { version: 4, lastHash: stream[3].hash }],
    ['a record ending in another hash', stream, { ...head, lastHash: stream[0].hash }],
    ['a changed hash', stream.map((e, i) => (i === 1 ? { ...e, hash: '00'.repeat(32) } : e)), head],
  ];

  it.each(cases)('gives the verdict verifyChain gives for %s', (_, events, recorded) => {
    expect(incrementally(events, recorded)).toEqual(verifyChain(events, recorded));
  });

  it('finds the altered event at its version', () => {
    const altered = stream.map((e, i) => (i === 2 ? { ...e, data: { ...e.data, n: 99 } } : e));
    expect(incrementally(altered, head)).toEqual({
      valid: false,
      events: 6,
      firstBrokenAt: 3,
      reason: 'event 3 does not match its hash',
    });
  });
});
