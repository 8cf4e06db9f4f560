import { describe, expect, it } from '@jest/globals';
import { EventIdConflictError, InvalidAppendError } from '../../event-store.errors';
import { newEvent, numberedEvents, uniqueCategory } from '../new-events';
import type { ContractContext } from './contract-context';

export function atomicAppendContract(ctx: ContractContext): void {
  describe('multi-event appends', () => {
    it('store all events with consecutive versions and rising global positions', async () => {
      const streamId = `${uniqueCategory()}-1`;
      await ctx.store.appendToStream(streamId, 'no-stream', [newEvent()]);
      const events = numberedEvents(5);
      const result = await ctx.store.appendToStream(streamId, 1, events);

      expect(result.streamVersion).toBe(6);
      expect(result.events.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
      expect(result.events.map((e) => e.streamVersion)).toEqual([2, 3, 4, 5, 6]);
      const positions = result.events.map((e) => BigInt(e.globalPosition));
      expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
      expect(new Set(positions).size).toBe(5);

      const stored = await ctx.store.readStream(streamId);
      expect(stored.slice(1).map((e) => e.data)).toEqual(events.map((e) => e.data));
      expect(stored.slice(1).map((e) => e.globalPosition)).toEqual(
        result.events.map((e) => e.globalPosition),
      );
    });

    it('store none of the events when one of them cannot be stored', async () => {
      const streamId = `${uniqueCategory()}-1`;
      const events = [newEvent(), newEvent('thing.happened.v1', { bad: 10n }), newEvent()];
      await expect(ctx.store.appendToStream(streamId, 'any', events)).rejects.toThrow(
        InvalidAppendError,
      );
      expect(await ctx.store.readStream(streamId)).toEqual([]);
      expect(await ctx.store.getStream(streamId)).toBeUndefined();
    });

    it('store none of the events when one reuses a stored id with other content', async () => {
      const streamId = `${uniqueCategory()}-1`;
      const first = newEvent();
      await ctx.store.appendToStream(streamId, 'no-stream', [first]);
      const fresh = newEvent();
      const forged = { ...first, data: { note: 'rewritten' } };
      await expect(ctx.store.appendToStream(streamId, 1, [fresh, forged])).rejects.toThrow(
        EventIdConflictError,
      );
      const stored = await ctx.store.readStream(streamId);
      expect(stored.map((e) => e.eventId)).toEqual([first.eventId]);
      expect(stored[0].data).toEqual(first.data);
    });
  });
}
