import type { StoredEvent } from '@backbone/event-store';
import { asStoredText, chainedStream, headOf } from './chain-test-events';
import { InterleavedChains } from './interleaved-chains';

/** Streams' events interleaved as a global log would hold them, round robin. */
function interleave(...streams: StoredEvent[][]): StoredEvent[] {
  const log: StoredEvent[] = [];
  for (let i = 0; i < Math.max(...streams.map((s) => s.length)); i++) {
    for (const stream of streams) if (stream[i]) log.push(stream[i]);
  }
  return log;
}

function follow(log: StoredEvent[], heads: Map<string, { version: number; lastHash: string }>) {
  const chains = new InterleavedChains();
  for (const event of log) {
    const head = chains.isNew(event.streamId) ? heads.get(event.streamId) : undefined;
    chains.add({ ...asStoredText(event), hash: event.hash }, head);
  }
  return chains;
}

describe('following interleaved chains through the log', () => {
  const a = chainedStream('thing-a', 5, 100);
  const b = chainedStream('thing-b', 3, 200);
  const c = chainedStream('thing-c', 4, 300);
  const heads = new Map([a, b, c].map((s) => [s[0].streamId, headOf(s)]));

  it('verifies intact streams and forgets them once complete', () => {
    expect(follow(interleave(a, b, c), heads).suspects()).toEqual([]);
  });

  it.each([
    [
      'a changed field',
      interleave(
        a.map((e, i) => (i === 1 ? { ...e, data: {} } : e)),
        b,
        c,
      ),
    ],
    [
      'a deleted event',
      interleave(
        a.filter((_, i) => i !== 2),
        b,
        c,
      ),
    ],
    ['a deleted last event', interleave(a.slice(0, -1), b, c)],
    ['versions out of turn', interleave([a[0], a[2], a[1], a[3], a[4]], b, c)],
    [
      'an event beyond the record',
      interleave([...a, { ...a[4], streamVersion: 6, eventId: 'x' }], b, c),
    ],
  ])('makes the stream with %s a suspect, and only that one', (_, log) => {
    expect(follow(log, heads).suspects()).toEqual(['thing-a']);
  });

  it('makes a stream without a record a suspect', () => {
    const heads = new Map([[b[0].streamId, headOf(b)]]);
    expect(follow(interleave(a, b), heads).suspects()).toEqual(['thing-a']);
  });
});
