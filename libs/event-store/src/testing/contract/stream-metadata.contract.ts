import { describe, expect, it } from '@jest/globals';
import { StreamClosedError, StreamNotFoundError } from '../../event-store.errors';
import { newEvent, uniqueCategory } from '../new-events';
import type { ContractContext } from './contract-context';

export function streamMetadataContract(ctx: ContractContext): void {
  describe('stream metadata', () => {
    it('records the category, version and creation time of a stream', async () => {
      const category = uniqueCategory();
      const before = Date.now();
      await ctx.store.appendToStream(`${category}-1`, 'no-stream', [newEvent()]);
      await ctx.store.appendToStream(`${category}-1`, 1, [newEvent(), newEvent()]);
      const stream = await ctx.store.getStream(`${category}-1`);
      expect(stream).toMatchObject({
        streamId: `${category}-1`,
        category,
        version: 3,
        closed: false,
      });
      expect(Date.parse(stream!.createdAt)).toBeGreaterThanOrEqual(before - 60_000);
      expect(Date.parse(stream!.updatedAt)).toBeGreaterThanOrEqual(Date.parse(stream!.createdAt));
      expect(await ctx.store.getStream(`${category}-2`)).toBeUndefined();
    });

    it('a soft-closed stream stays readable but takes no more events', async () => {
      const streamId = `${uniqueCategory()}-1`;
      const event = newEvent();
      await ctx.store.appendToStream(streamId, 'no-stream', [event]);
      await ctx.store.closeStream(streamId);

      expect((await ctx.store.getStream(streamId))?.closed).toBe(true);
      await expect(ctx.store.appendToStream(streamId, 1, [newEvent()])).rejects.toThrow(
        StreamClosedError,
      );
      expect((await ctx.store.readStream(streamId)).map((e) => e.eventId)).toEqual([event.eventId]);
      // A retry of an append stored before the close is still recognised as one.
      expect((await ctx.store.appendToStream(streamId, 'no-stream', [event])).streamVersion).toBe(
        1,
      );
    });

    it('closing a stream that does not exist is an error', async () => {
      await expect(ctx.store.closeStream(`${uniqueCategory()}-1`)).rejects.toThrow(
        StreamNotFoundError,
      );
    });

    it('lists the streams of a category, page by page', async () => {
      const category = uniqueCategory();
      for (const id of ['c', 'a', 'e', 'b', 'd']) {
        await ctx.store.appendToStream(`${category}-${id}`, 'no-stream', [newEvent()]);
      }
      await ctx.store.appendToStream(`${category}x-a`, 'no-stream', [newEvent()]);

      const first = await ctx.store.listStreams(category, { limit: 2 });
      expect(first.streams.map((s) => s.streamId)).toEqual([`${category}-a`, `${category}-b`]);
      const second = await ctx.store.listStreams(category, { after: first.next, limit: 2 });
      expect(second.streams.map((s) => s.streamId)).toEqual([`${category}-c`, `${category}-d`]);
      const last = await ctx.store.listStreams(category, { after: second.next, limit: 2 });
      expect(last.streams.map((s) => s.streamId)).toEqual([`${category}-e`]);
      expect(last.next).toBeUndefined();
      expect(last.streams[0]).toMatchObject({ category, version: 1, closed: false });
    });
  });
}
