import { describe, expect, it } from '@jest/globals';
import { EventIdConflictError } from '../../event-store.errors';
import { newEvent, numberedEvents, uniqueCategory } from '../new-events';
import type { ContractContext } from './contract-context';

export function idempotencyContract(ctx: ContractContext): void {
  describe('appending the same event ids again', () => {
    it('with the same content returns the original positions and stores nothing', async () => {
      const streamId = `${uniqueCategory()}-1`;
      const events = numberedEvents(3);
      const original = await ctx.store.appendToStream(streamId, 'no-stream', events);
      const retried = await ctx.store.appendToStream(
        streamId,
        'no-stream',
        events.map((e) => ({ ...e, data: { ...e.data }, metadata: { ...e.metadata } })),
      );
      expect(retried).toEqual(original);
      expect(await ctx.store.readStream(streamId)).toHaveLength(3);
    });

    it('returns the original positions even after the stream has moved on', async () => {
      const streamId = `${uniqueCategory()}-1`;
      const event = newEvent();
      const original = await ctx.store.appendToStream(streamId, 'no-stream', [event]);
      await ctx.store.appendToStream(streamId, 1, numberedEvents(2));
      const retried = await ctx.store.appendToStream(streamId, 'no-stream', [event]);
      expect(retried).toEqual(original);
      expect(await ctx.store.readStream(streamId)).toHaveLength(3);
    });

    it('does not depend on the order of keys in the data', async () => {
      const streamId = `${uniqueCategory()}-1`;
      const event = newEvent('thing.happened.v1', { a: 1, b: { c: 2, d: [3, 4] } });
      const original = await ctx.store.appendToStream(streamId, 'any', [event]);
      const reordered = { ...event, data: { b: { d: [3, 4], c: 2 }, a: 1 } };
      expect(await ctx.store.appendToStream(streamId, 'any', [reordered])).toEqual(original);
    });

    it('with different content is refused and leaves the original untouched', async () => {
      const streamId = `${uniqueCategory()}-1`;
      const event = newEvent('thing.happened.v1', { amount: 1 });
      await ctx.store.appendToStream(streamId, 'no-stream', [event]);
      for (const changed of [
        { ...event, data: { amount: 2 } },
        { ...event, type: 'thing.vanished.v1' },
        { ...event, metadata: { actor: 'someone else' } },
      ]) {
        await expect(ctx.store.appendToStream(streamId, 'any', [changed])).rejects.toThrow(
          EventIdConflictError,
        );
      }
      const stored = await ctx.store.readStream(streamId);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ type: event.type, data: event.data });
    });

    it('in another stream is refused', async () => {
      const category = uniqueCategory();
      const event = newEvent();
      await ctx.store.appendToStream(`${category}-1`, 'any', [event]);
      await expect(ctx.store.appendToStream(`${category}-2`, 'any', [event])).rejects.toThrow(
        EventIdConflictError,
      );
      expect(await ctx.store.readStream(`${category}-2`)).toEqual([]);
    });
  });
}
