import { describe, expect, it } from '@jest/globals';
import { InvalidAppendError } from '../../event-store.errors';
import type { EventData, ExpectedVersion, NewEvent } from '../../event-store.port';
import { newEvent, uniqueCategory } from '../new-events';
import type { ContractContext } from './contract-context';

const cyclic = (): EventData => {
  const data: EventData = { name: 'loop' };
  data.self = data;
  return data;
};

// Each case: what is wrong, the append, and a word the error message must contain.
const badAppends: [string, string | undefined, ExpectedVersion, NewEvent[], RegExp][] = [
  ['an empty stream id', '', 'any', [newEvent()], /stream id/],
  ['a blank stream id', '   ', 'any', [newEvent()], /stream id/],
  ['no events', undefined, 'any', [], /at least one event/],
  [
    'an oversized event',
    undefined,
    'any',
    [newEvent('big.v1', { blob: 'x'.repeat(300_000) })],
    /larger than/,
  ],
  ['a BigInt', undefined, 'any', [newEvent('n.v1', { amount: 12n })], /data\.amount.*bigint/],
  ['a cycle', undefined, 'any', [newEvent('c.v1', cyclic())], /data\.self.*cycle/],
  ['NaN', undefined, 'any', [newEvent('n.v1', { ratio: NaN })], /data\.ratio/],
  ['a function', undefined, 'any', [newEvent('f.v1', { run: () => 1 })], /data\.run.*function/],
  ['a Map', undefined, 'any', [newEvent('m.v1', { index: new Map([[1, 2]]) })], /data\.index.*Map/],
  ['a NUL character', undefined, 'any', [newEvent('z.v1', { text: 'a\u0000b' })], /NUL/],
  [
    'metadata that is not JSON',
    undefined,
    'any',
    [newEvent('m.v1', {}, { at: 1n })],
    /metadata\.at/,
  ],
  [
    'an event id that is not a UUID',
    undefined,
    'any',
    [{ ...newEvent(), eventId: 'e-1' }],
    /not a UUID/,
  ],
  ['the same event id twice', undefined, 'any', ((e) => [e, e])(newEvent()), /twice/],
  ['an empty event type', undefined, 'any', [newEvent('')], /type/],
  ['a negative expected version', undefined, -1, [newEvent()], /expected version/],
];

export function badInputContract(ctx: ContractContext): void {
  describe('bad input', () => {
    it.each(badAppends)(
      'is refused with a clear error and stores nothing: %s',
      async (_what, givenStreamId, expected, events, message) => {
        const streamId = givenStreamId ?? `${uniqueCategory()}-1`;
        const error = await ctx.store
          .appendToStream(streamId, expected, events)
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidAppendError);
        expect((error as Error).message).toMatch(message);
        expect(await ctx.store.readStream(streamId)).toEqual([]);
        expect(await ctx.store.getStream(streamId)).toBeUndefined();
      },
    );

    it('leaves an existing stream as it was', async () => {
      const streamId = `${uniqueCategory()}-1`;
      await ctx.store.appendToStream(streamId, 'no-stream', [newEvent()]);
      const before = await ctx.store.readStream(streamId);
      for (const [, , expected, events] of badAppends.filter(([, id]) => id === undefined)) {
        await expect(ctx.store.appendToStream(streamId, expected, events)).rejects.toThrow(
          InvalidAppendError,
        );
      }
      expect(await ctx.store.readStream(streamId)).toEqual(before);
      expect((await ctx.store.getStream(streamId))?.version).toBe(1);
      expect(await ctx.store.verifyStream(streamId)).toEqual({ valid: true, events: 1 });
    });
  });
}
