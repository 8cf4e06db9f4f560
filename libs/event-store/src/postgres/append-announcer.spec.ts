import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from 'pg';
import { AppendAnnouncer } from './append-announcer';

function countingPool() {
  const sent: string[] = [];
  const pool = { query: async (text: string) => sent.push(text) } as unknown as Pool;
  return { pool, sent };
}

describe('AppendAnnouncer', () => {
  it('notifies at once after a quiet spell', () => {
    const { pool, sent } = countingPool();
    new AppendAnnouncer(pool, 20).announce();
    expect(sent).toEqual([`SELECT pg_notify('event_store_appended', '')`]);
  });

  it('sends one more notification after a burst, not one per append', async () => {
    const { pool, sent } = countingPool();
    const announcer = new AppendAnnouncer(pool, 20);
    for (let i = 0; i < 50; i++) announcer.announce();
    expect(sent).toHaveLength(1);
    await sleep(60);
    expect(sent).toHaveLength(2); // the burst's tail is announced too, so no follower waits for a poll
  });

  it('keeps quiet when nothing was appended since the last notification', async () => {
    const { pool, sent } = countingPool();
    new AppendAnnouncer(pool, 10).announce();
    await sleep(50);
    expect(sent).toHaveLength(1);
  });
});
