import { describe, expect, it } from '@jest/globals';
import { START_OF_LOG, StoredEvent } from '../../event-store.port';
import { numberedEvents, uniqueCategory } from '../new-events';
import type { ContractContext } from './contract-context';

export function subscribeContract(ctx: ContractContext): void {
  describe('subscribeToAll', () => {
    it('delivers the stored events, then new ones as they are appended', async () => {
      const category = uniqueCategory();
      await ctx.store.appendToStream(`${category}-1`, 'no-stream', numberedEvents(3));
      const stop = new AbortController();
      const subscription = ctx.store.subscribeToAll(START_OF_LOG, {
        filter: { streamPrefix: `${category}-` },
        pollIntervalMs: 100,
        signal: stop.signal,
      });
      const received: StoredEvent[] = [];
      for await (const event of subscription) {
        received.push(event);
        if (received.length === 3) {
          await ctx.store.appendToStream(`${category}-1`, 3, numberedEvents(2));
        }
        if (received.length === 5) break;
      }
      expect(received.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
    });

    it('starts after the checkpoint it is given, and ends when its signal aborts', async () => {
      const category = uniqueCategory();
      await ctx.store.appendToStream(`${category}-1`, 'no-stream', numberedEvents(4));
      const stop = new AbortController();
      const first: StoredEvent[] = [];
      for await (const event of ctx.store.subscribeToAll(START_OF_LOG, {
        filter: { streamPrefix: `${category}-` },
        pollIntervalMs: 100,
      })) {
        first.push(event);
        if (first.length === 2) break;
      }
      const rest: StoredEvent[] = [];
      const checkpoint = {
        transactionId: first[1].transactionId,
        globalPosition: first[1].globalPosition,
      };
      for await (const event of ctx.store.subscribeToAll(checkpoint, {
        filter: { streamPrefix: `${category}-` },
        pollIntervalMs: 100,
        signal: stop.signal,
      })) {
        rest.push(event);
        if (rest.length === 2) stop.abort();
      }
      expect(rest.map((e) => e.streamVersion)).toEqual([3, 4]);
    });
  });

  describe('listenForAppends', () => {
    it('wakes its listener when an append commits', async () => {
      const listener = await ctx.store.listenForAppends();
      try {
        const seen = listener.generation;
        await ctx.store.appendToStream(`${uniqueCategory()}-1`, 'no-stream', numberedEvents(1));
        await listener.waitBeyond(seen, 10_000);
        expect(listener.generation).toBeGreaterThan(seen);
      } finally {
        await listener.close();
      }
    });
  });
}
