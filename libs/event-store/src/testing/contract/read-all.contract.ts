import { describe, expect, it } from '@jest/globals';
import { START_OF_LOG, StoredEvent } from '../../event-store.port';
import { positionOf } from '../../follow-global-log';
import { newEvent, numberedEvents, uniqueCategory } from '../new-events';
import type { ContractContext } from './contract-context';
import { visibleInLog } from './log-visibility';

export function readAllContract(ctx: ContractContext): void {
  describe('readAll', () => {
    it('pages through the log, each event once, each stream in its own order', async () => {
      const category = uniqueCategory();
      for (let round = 0; round < 3; round++) {
        for (const stream of ['a', 'b', 'c']) {
          await ctx.store.appendToStream(`${category}-${stream}`, 'any', numberedEvents(2));
        }
      }
      await visibleInLog(ctx.store, `${category}-`, 18);
      const seen: StoredEvent[] = [];
      let fromPosition = START_OF_LOG;
      for (;;) {
        const page = await ctx.store.readAll({
          fromPosition,
          limit: 4,
          filter: { streamPrefix: `${category}-` },
        });
        if (page.events.length === 0) {
          expect(page.nextPosition).toEqual(fromPosition);
          break;
        }
        expect(page.events.length).toBeLessThanOrEqual(4);
        expect(page.nextPosition).toEqual(positionOf(page.events[page.events.length - 1]));
        seen.push(...page.events);
        fromPosition = page.nextPosition;
      }
      expect(seen).toHaveLength(18);
      expect(new Set(seen.map((e) => e.eventId)).size).toBe(18);
      for (const stream of ['a', 'b', 'c']) {
        const versions = seen
          .filter((e) => e.streamId === `${category}-${stream}`)
          .map((e) => e.streamVersion);
        expect(versions).toEqual([1, 2, 3, 4, 5, 6]);
      }
    });

    it('filters by event type and by stream prefix', async () => {
      const category = uniqueCategory();
      await ctx.store.appendToStream(`${category}-x`, 'any', [
        newEvent('thing.opened.v1'),
        newEvent('thing.noted.v1'),
        newEvent('thing.closed.v1'),
      ]);
      await ctx.store.appendToStream(`${category}y-1`, 'any', [newEvent('thing.opened.v1')]);
      await visibleInLog(ctx.store, category, 4);

      const byType = await ctx.store.readAll({
        filter: { eventTypes: ['thing.opened.v1', 'thing.closed.v1'], streamPrefix: category },
      });
      expect(byType.events.map((e) => `${e.streamId} ${e.type}`)).toEqual([
        `${category}-x thing.opened.v1`,
        `${category}-x thing.closed.v1`,
        `${category}y-1 thing.opened.v1`,
      ]);
      const byPrefix = await ctx.store.readAll({ filter: { streamPrefix: `${category}-` } });
      expect(byPrefix.events.map((e) => e.type)).toEqual([
        'thing.opened.v1',
        'thing.noted.v1',
        'thing.closed.v1',
      ]);
    });

    it("filters by a party named in the events' metadata", async () => {
      const category = uniqueCategory();
      const [school, social] = [`${category}-school`, `${category}-social`];
      await ctx.store.appendToStream(`${category}-1`, 'any', [
        newEvent('thing.made.v1', {}, { parties: [school, social] }),
        newEvent('thing.noted.v1', {}, { parties: [school] }),
        newEvent('thing.kept.v1', {}, {}),
        newEvent('thing.odd.v1', {}, { parties: school }),
      ]);
      await visibleInLog(ctx.store, category, 4);
      const typesFor = async (party: string) =>
        (await ctx.store.readAll({ filter: { party, streamPrefix: category } })).events.map(
          (e) => e.type,
        );
      expect(await typesFor(school)).toEqual(['thing.made.v1', 'thing.noted.v1']);
      expect(await typesFor(social)).toEqual(['thing.made.v1']);
      expect(await typesFor(`${category}-nobody`)).toEqual([]);
    });

    it("reads a party's events through a log of others' in bounded looks, each once", async () => {
      const category = uniqueCategory();
      const [mine, theirs] = [`${category}-mine`, `${category}-theirs`];
      const appended: string[] = [];
      for (let i = 0; i < 12; i++) {
        const party = i % 3 === 0 ? [mine, theirs] : [theirs];
        const event = newEvent('thing.made.v1', { i }, { parties: party });
        if (i % 3 === 0) appended.push(event.eventId);
        await ctx.store.appendToStream(`${category}-${i}`, 'any', [event]);
      }
      const visible = await visibleInLog(ctx.store, `${category}-`, 12);
      // Just before this test's first event: what other tests wrote earlier is not ours to look at.
      const first = positionOf(visible[0]);
      let after = { ...first, globalPosition: String(BigInt(first.globalPosition) - 1n) };

      const seen: string[] = [];
      let looks = 0;
      for (;;) {
        const page = await ctx.store.readPartyAfter(mine, after, 2, 3);
        looks++;
        expect(page.events.length).toBeLessThanOrEqual(2);
        seen.push(...page.events.map((e) => e.eventId));
        if (page.nextPosition.globalPosition === after.globalPosition) break;
        after = page.nextPosition;
      }
      expect(seen).toEqual(appended);
      // Twelve events of the log looked at three at a time: it moved on without one of its own.
      expect(looks).toBeGreaterThanOrEqual(4);
    });

    it('readAllAfter returns what readAll returns', async () => {
      const category = uniqueCategory();
      await ctx.store.appendToStream(`${category}-1`, 'any', numberedEvents(3));
      const events = await visibleInLog(ctx.store, `${category}-`, 3);
      const after = await ctx.store.readAllAfter(positionOf(events[0]), 10_000);
      const ids = after.map((e) => e.eventId);
      expect(ids).toEqual(expect.arrayContaining([events[1].eventId, events[2].eventId]));
      expect(ids).not.toContain(events[0].eventId);
    });
  });
}
