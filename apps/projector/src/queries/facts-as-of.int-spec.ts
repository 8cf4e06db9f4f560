// The as-of refold against the real store: it reads the log on the connection of its own
// transaction, so that it never waits for a second connection of the pool while holding one.
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { PostgresEventStore } from '@backbone/event-store';
import { freshEventStore } from '@backbone/testing/fresh-event-store';
import { storedReferralMade } from '@backbone/testing/stored-referral-made';
import { withFactsAsOf } from './facts-as-of';

describe('the facts as of a moment', () => {
  const db = freshEventStore({ maxConnections: 2 });

  it('refolds the log on its own connection: a one-connection pool still answers', async () => {
    // The pages were read on a second connection of the pool while the refold's transaction
    // held one: with none free it waited (here, until the pool's timeout).
    const referralId = randomUUID();
    await db.store.appendToStream(`referral-${referralId}`, 'no-stream', [
      storedReferralMade(referralId, '2030-01-01T00:00:00.000Z'),
    ]);
    const moment = new Date();
    const pool = new Pool({ connectionString: db.url, max: 1, connectionTimeoutMillis: 2_000 });
    try {
      const refolded = await withFactsAsOf(pool, new PostgresEventStore(pool), moment, (client) =>
        client.query<{ referral_id: string }>('SELECT referral_id FROM referral_facts_as_of'),
      );
      expect(refolded.rows).toEqual([{ referral_id: referralId }]);
    } finally {
      await pool.end();
    }
  });
});
