import { describe, expect, it } from '@jest/globals';
import { numberedEvents, uniqueCategory } from '../new-events';
import type { ContractContext } from './contract-context';

export function readStreamContract(ctx: ContractContext): void {
  describe('readStream', () => {
    const streamOfTen = async (): Promise<string> => {
      const streamId = `${uniqueCategory()}-1`;
      await ctx.store.appendToStream(streamId, 'no-stream', numberedEvents(10));
      return streamId;
    };
    const numbers = (events: { data: Record<string, unknown> }[]): unknown[] =>
      events.map((e) => e.data.n);

    it('without options returns the whole stream in version order', async () => {
      const streamId = await streamOfTen();
      const events = await ctx.store.readStream(streamId);
      expect(events.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(numbers(events)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(events[0]).toMatchObject({ streamId, type: 'thing.counted.v1' });
      expect(events[0].recordedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(events[0].hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('reads forwards from a version, up to a limit', async () => {
      const streamId = await streamOfTen();
      const events = await ctx.store.readStream(streamId, { from: 4, limit: 3 });
      expect(events.map((e) => e.streamVersion)).toEqual([4, 5, 6]);
      expect(await ctx.store.readStream(streamId, { from: 11 })).toEqual([]);
    });

    it('reads backwards from the end, or from a version', async () => {
      const streamId = await streamOfTen();
      const last = await ctx.store.readStream(streamId, { direction: 'backwards', limit: 2 });
      expect(last.map((e) => e.streamVersion)).toEqual([10, 9]);
      const before = await ctx.store.readStream(streamId, { direction: 'backwards', from: 3 });
      expect(before.map((e) => e.streamVersion)).toEqual([3, 2, 1]);
    });

    it('returns nothing for a stream that does not exist', async () => {
      expect(await ctx.store.readStream(`${uniqueCategory()}-nothing`)).toEqual([]);
    });

    it('refuses a limit that is not a positive integer', async () => {
      const streamId = await streamOfTen();
      await expect(ctx.store.readStream(streamId, { limit: 0 })).rejects.toThrow(RangeError);
    });
  });
}
