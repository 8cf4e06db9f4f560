// The verdicts the audit's page-by-page verification gives for every kind of tampering.
import { ChainHead, ChainVerifier, StoredEvent, StreamVerification } from '@backbone/event-store';
import { chainedStream, headOf } from './chain-test-events';

const incrementally = (events: StoredEvent[], head: ChainHead | undefined) => {
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
  const cases: [string, StoredEvent[], ChainHead | undefined, Partial<StreamVerification>][] = [
    ['an intact stream', stream, head, { valid: true, events: 6 }],
    ['an empty stream without a record', [], undefined, { valid: true, events: 0 }],
    ['events without a stream record', stream, undefined, { valid: false, events: 6 }],
    [
      'a changed field',
      stream.map((e, i) => (i === 2 ? { ...e, data: { ...e.data, n: 99 } } : e)),
      head,
      { valid: false, firstBrokenAt: 3 },
    ],
    [
      'a changed actor',
      stream.map((e, i) => (i === 4 ? { ...e, metadata: { actor: 'x' } } : e)),
      head,
      { valid: false, firstBrokenAt: 5 },
    ],
    ['a deleted event', stream.filter((_, i) => i !== 3), head, { valid: false, firstBrokenAt: 4 }],
    ['a deleted last event', stream.slice(0, -1), head, { valid: false, firstBrokenAt: 6 }],
    ['every event deleted', [], head, { valid: false, firstBrokenAt: 1 }],
    [
      'an inserted event',
      [...stream.slice(0, 2), { ...stream[2], eventId: 'x' }, ...stream.slice(2)],
      head,
      { valid: false, firstBrokenAt: 3 },
    ],
    ['two events swapped', swapped, head, { valid: false, firstBrokenAt: 3 }],
    [
      'a tail beyond the record',
      stream,
      { version: 4, lastHash: stream[3].hash },
      { valid: false, firstBrokenAt: 5 },
    ],
    [
      'a record ending in another hash',
      stream,
      { ...head, lastHash: stream[0].hash },
      { valid: false, firstBrokenAt: 6 },
    ],
    [
      'a changed hash',
      stream.map((e, i) => (i === 1 ? { ...e, hash: '00'.repeat(32) } : e)),
      head,
      { valid: false, firstBrokenAt: 2 },
    ],
  ];

  it.each(cases)('gives the right verdict for %s', (_, events, recorded, verdict) => {
    expect(incrementally(events, recorded)).toMatchObject(verdict);
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
