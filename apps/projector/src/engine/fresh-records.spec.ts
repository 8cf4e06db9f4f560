import type { CloudEvent } from '@backbone/contracts';
import { OffsetGapError, ParsedRecord, freshOf } from './fresh-records';

const event = (id: string) => ({ id }) as CloudEvent;
const records = (from: number, count: number): ParsedRecord[] =>
  Array.from({ length: count }, (_, i) => ({
    offset: BigInt(from + i),
    event: event(`e${from + i}`),
    producedAt: 1_000 + from + i,
  }));
const partition = { topic: 'referrals.events', partition: 2 };
const ignore = () => undefined;

describe('freshOf', () => {
  it('takes every record of a batch that starts at the stored offset', () => {
    const fresh = freshOf(partition, records(5, 3), 5n, ignore);
    expect(fresh.events.map((e) => e.id)).toEqual(['e5', 'e6', 'e7']);
    expect(fresh.producedAt).toEqual([1_005, 1_006, 1_007]);
  });

  it('skips the records below the stored offset (applied by an earlier delivery)', () => {
    const fresh = freshOf(partition, records(3, 4), 5n, ignore);
    expect(fresh.events.map((e) => e.id)).toEqual(['e5', 'e6']);
  });

  it('refuses a batch that starts after the stored offset, naming where to read from', () => {
    const refusal = (() => {
      try {
        freshOf(partition, records(8, 2), 5n, ignore);
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(OffsetGapError);
    expect(refusal).toMatchObject({ partition: 2, expected: 5n, first: 8n });
  });

  it('tells of an unreadable record and applies the ones after it', () => {
    const unreadable: bigint[] = [];
    const batch = records(0, 3);
    delete batch[1].event;
    const fresh = freshOf(partition, batch, 0n, (offset) => unreadable.push(offset));
    expect(fresh.events.map((e) => e.id)).toEqual(['e0', 'e2']);
    expect(unreadable).toEqual([1n]);
  });

  it('does not tell of an unreadable record that was applied before', () => {
    const unreadable: bigint[] = [];
    const batch = records(0, 3);
    delete batch[0].event;
    freshOf(partition, batch, 1n, (offset) => unreadable.push(offset));
    expect(unreadable).toEqual([]);
  });
});
