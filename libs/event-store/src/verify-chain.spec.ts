import type { StoredEvent } from './event-store.port';
import { GENESIS_HASH, chainHash } from './hash-chain';
import { verifyChain } from './verify-chain';

function chain(length: number): StoredEvent[] {
  let previous: Buffer = GENESIS_HASH;
  return Array.from({ length }, (_, i) => {
    const event = {
      eventId: `00000000-0000-4000-8000-00000000000${i}`,
      streamId: 'case-1',
      streamVersion: i + 1,
      type: 'case.noted.v1',
      data: { i },
      metadata: {},
      recordedAt: '2026-01-01T00:00:00.000Z',
      globalPosition: String(i + 1),
      transactionId: '100',
    };
    previous = chainHash(previous, event);
    return { ...event, hash: previous.toString('hex') };
  });
}

const headOf = (events: StoredEvent[]) => ({
  version: events.length,
  lastHash: events[events.length - 1].hash,
});

describe('verifyChain', () => {
  it('finds an intact chain valid', () => {
    const events = chain(4);
    expect(verifyChain(events, headOf(events))).toEqual({ valid: true, events: 4 });
  });

  it('finds no stream at all valid and empty', () => {
    expect(verifyChain([], undefined)).toEqual({ valid: true, events: 0 });
  });

  it('points at an altered event', () => {
    const events = chain(4);
    const head = headOf(events);
    events[2] = { ...events[2], data: { i: 99 } };
    expect(verifyChain(events, head)).toMatchObject({ valid: false, firstBrokenAt: 3 });
  });

  it('points at the version of a removed event', () => {
    const events = chain(4);
    const head = headOf(events);
    expect(verifyChain([events[0], events[2], events[3]], head)).toMatchObject({
      valid: false,
      firstBrokenAt: 2,
      reason: 'version 2 is missing',
    });
  });

  it('points past the end when the tail was cut off', () => {
    const events = chain(4);
    expect(verifyChain(events.slice(0, 3), headOf(events))).toMatchObject({
      valid: false,
      firstBrokenAt: 4,
    });
  });

  it('points at events beyond what the stream record holds', () => {
    const events = chain(5);
    expect(verifyChain(events, headOf(events.slice(0, 4)))).toMatchObject({
      valid: false,
      firstBrokenAt: 5,
    });
  });

  it('refuses events whose stream has no record', () => {
    expect(verifyChain(chain(1), undefined)).toMatchObject({ valid: false, events: 1 });
  });

  it('notices a stream record that ends in another hash', () => {
    const events = chain(3);
    expect(verifyChain(events, { version: 3, lastHash: '00'.repeat(32) })).toMatchObject({
      valid: false,
      firstBrokenAt: 3,
    });
  });
});
