// Replicas started together by an orchestrator all migrate at once against an empty database.
import { Client } from 'pg';
import { loadConfig } from '@backbone/config';
import { uniqueSuffix } from '@backbone/testing/test-stack';
import { databaseUrlFor } from '@backbone/testing/stack-state';
import { dropDatabase, ensureDatabase } from './ensure-database';
import { migrate } from './migrate';

describe('migrate', () => {
  const url = databaseUrlFor(loadConfig().databaseUrl, `backbone_migrate_${uniqueSuffix()}`);

  beforeAll(() => ensureDatabase(url));
  afterAll(() => dropDatabase(url));

  it('lets instances starting together take turns instead of failing', async () => {
    const runs = await Promise.allSettled([migrate(url), migrate(url), migrate(url)]);

    expect(runs.map((run) => (run.status === 'rejected' ? String(run.reason) : 'ok'))).toEqual([
      'ok',
      'ok',
      'ok',
    ]);
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM pgmigrations');
      const applied = Number(rows[0].n);
      expect(applied).toBeGreaterThan(0);
      // Every migration applied once: the later runs found nothing left to do.
      const { rows: distinct } = await client.query<{ n: string }>(
        'SELECT count(DISTINCT name) AS n FROM pgmigrations',
      );
      expect(Number(distinct[0].n)).toBe(applied);
    } finally {
      await client.end();
    }
  });
});
