import { chainHash } from '@backbone/event-store';
import { asStoredText, chainedStream } from './chain-test-events';
import { StoredTextHasher } from './stored-text-hash';

describe('hashing an event from its stored JSON text', () => {
  it('gives the hash chainHash gives, escapes and non-ASCII text included', () => {
    const hasher = new StoredTextHasher();
    for (const event of chainedStream('thing-"quoted"\\ü', 4)) {
      const previous = Buffer.alloc(32, 7);
      expect(hasher.chainHash(previous.toString('hex'), asStoredText(event))).toBe(
        chainHash(previous, event).toString('hex'),
      );
    }
  });

  it('differs when the stored text is not canonical, even if it means the same', () => {
    const [event] = chainedStream('thing-1', 1);
    const reordered = { ...asStoredText(event), dataText: JSON.stringify(event.data) };
    const previous = Buffer.alloc(32);
    expect(new StoredTextHasher().chainHash(previous.toString('hex'), reordered)).not.toBe(
      chainHash(previous, event).toString('hex'),
    );
  });

  it('hashes an event larger than its buffer, then small ones again', () => {
    const hasher = new StoredTextHasher();
    const [small] = chainedStream('thing-1', 1);
    const large = { ...small, data: { text: 'ü'.repeat(100_000) } };
    for (const event of [small, large, small]) {
      expect(hasher.chainHash('ab'.repeat(32), asStoredText(event))).toBe(
        chainHash(Buffer.from('ab'.repeat(32), 'hex'), event).toString('hex'),
      );
    }
  });
});
