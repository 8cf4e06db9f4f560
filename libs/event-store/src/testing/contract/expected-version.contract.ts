import { describe, expect, it } from '@jest/globals';
import { WrongExpectedVersionError } from '../../event-store.errors';
import type { ExpectedVersion } from '../../event-store.port';
import { newEvent, numberedEvents, uniqueCategory } from '../new-events';
import type { ContractContext } from './contract-context';

export function expectedVersionContract(ctx: ContractContext): void {
  describe('expected version', () => {
    const streamWith = async (events: number): Promise<string> => {
      const streamId = `${uniqueCategory()}-1`;
      if (events > 0) await ctx.store.appendToStream(streamId, 'no-stream', numberedEvents(events));
      return streamId;
    };

    const refused = async (
      streamId: string,
      expected: ExpectedVersion,
      actual: number,
    ): Promise<void> => {
      const error = await ctx.store
        .appendToStream(streamId, expected, [newEvent()])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamId, expected, actual });
      expect(await ctx.store.readStream(streamId)).toHaveLength(actual);
    };

    it("'no-stream' creates a stream and is refused once the stream exists", async () => {
      const streamId = await streamWith(0);
      const result = await ctx.store.appendToStream(streamId, 'no-stream', [newEvent()]);
      expect(result.streamVersion).toBe(1);
      await refused(streamId, 'no-stream', 1);
    });

    it('an exact version appends only when it is the current version', async () => {
      const streamId = await streamWith(2);
      await refused(streamId, 1, 2);
      await refused(streamId, 3, 2);
      const result = await ctx.store.appendToStream(streamId, 2, [newEvent()]);
      expect(result.streamVersion).toBe(3);
    });

    it('exact version 0 means the stream must not exist yet', async () => {
      const streamId = await streamWith(0);
      await ctx.store.appendToStream(streamId, 0, [newEvent()]);
      await refused(streamId, 0, 1);
    });

    it("'stream-exists' is refused for a new stream and accepted for an existing one", async () => {
      const streamId = await streamWith(0);
      await refused(streamId, 'stream-exists', 0);
      await ctx.store.appendToStream(streamId, 'any', [newEvent()]);
      const result = await ctx.store.appendToStream(streamId, 'stream-exists', [newEvent()]);
      expect(result.streamVersion).toBe(2);
    });

    it("'any' appends to a new stream and to an existing one", async () => {
      const streamId = await streamWith(0);
      expect((await ctx.store.appendToStream(streamId, 'any', [newEvent()])).streamVersion).toBe(1);
      expect((await ctx.store.appendToStream(streamId, 'any', [newEvent()])).streamVersion).toBe(2);
    });
  });
}
