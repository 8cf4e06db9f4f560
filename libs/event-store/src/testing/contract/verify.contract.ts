import { describe, expect, it } from '@jest/globals';
import { newEvent, numberedEvents, uniqueCategory } from '../new-events';
import type { ContractContext } from './contract-context';

export function verifyContract(ctx: ContractContext): void {
  describe('verifyStream', () => {
    it('finds an untouched stream valid, over every event', async () => {
      const streamId = `${uniqueCategory()}-1`;
      await ctx.store.appendToStream(streamId, 'no-stream', numberedEvents(3));
      await ctx.store.appendToStream(streamId, 3, [
        newEvent('thing.noted.v1', {
          text: 'æøå “quotes” \\ \n 😀',
          nested: { z: 1, a: [null, true] },
        }),
      ]);
      expect(await ctx.store.verifyStream(streamId)).toEqual({ valid: true, events: 4 });
    });

    it('verifies ids and types that need escaping in JSON', async () => {
      const streamId = `${uniqueCategory()}-"quoted" \\ tab\t ø 😀`;
      await ctx.store.appendToStream(streamId, 'no-stream', [
        newEvent('thing."odd"\\type.v1', { '"key"': '\u001f' }),
      ]);
      expect(await ctx.store.verifyStream(streamId)).toEqual({ valid: true, events: 1 });
    });

    it('finds a stream that does not exist valid and empty', async () => {
      expect(await ctx.store.verifyStream(`${uniqueCategory()}-1`)).toEqual({
        valid: true,
        events: 0,
      });
    });
  });
}
