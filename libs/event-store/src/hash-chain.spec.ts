import { canonicalJson } from './canonical-json';
import { GENESIS_HASH, HashedContent, canonicalContent, chainHash } from './hash-chain';

const event: HashedContent = {
  eventId: '0b9c6a52-5a8e-4f2b-9d1e-3c2a1b0f9e8d',
  streamId: 'referral-"quoted"\\-ø',
  streamVersion: 12,
  type: 'referral.made.v1',
  data: { streamVersion: 0, type: 'x', nested: { b: 1, a: 'line\nbreak 😀' } },
  metadata: { actor: 'Mette', streamVersion: 3 },
  recordedAt: '2026-01-02T03:04:05.678Z',
};

describe('the hash chain', () => {
  it('covers exactly the canonical JSON of the stored event, version included', () => {
    expect(canonicalContent(event)).toBe(canonicalJson(event));
  });

  it('chains from the previous hash', () => {
    const first = chainHash(GENESIS_HASH, event);
    const second = chainHash(first, { ...event, streamVersion: 13 });
    expect(first).toHaveLength(32);
    expect(chainHash(first, { ...event, streamVersion: 13 })).toEqual(second);
    expect(chainHash(GENESIS_HASH, { ...event, streamVersion: 13 })).not.toEqual(second);
  });

  it.each<[string, Partial<HashedContent>]>([
    ['event id', { eventId: '1b9c6a52-5a8e-4f2b-9d1e-3c2a1b0f9e8d' }],
    ['stream id', { streamId: 'referral-other' }],
    ['stream version', { streamVersion: 13 }],
    ['type', { type: 'referral.made.v2' }],
    ['data', { data: { ...event.data, extra: true } }],
    ['metadata', { metadata: { actor: 'someone else' } }],
    ['recorded time', { recordedAt: '2026-01-02T03:04:05.679Z' }],
  ])('changes when the %s changes', (_field, change) => {
    expect(chainHash(GENESIS_HASH, { ...event, ...change })).not.toEqual(
      chainHash(GENESIS_HASH, event),
    );
  });
});
