// `npm run demo:seed` makes a year of cooperation through the sector service's own command
// handling on a clock of its own; the backbone then publishes and projects it like anything
// else. The directors' flows over HTTP agree with counts made straight from the event store, the
// recorded times span the year and rise with the store's positions, and the seeder refuses to
// run where it must not.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Client, Pool } from 'pg';
import { BackboneConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { DEADLINE_WATCHER_PART } from '@backbone/database';
import { DEMO_API_KEYS, loadDirectory } from '@backbone/directory';
import { startBackbone } from '@backbone/backbone';
import demoDirectory from '../../libs/directory/src/demo/demo-directory.json';
import { demoYearStart } from '../../infra/demo-seed/scenario/demo-year';
import { runDemoSeed } from '../support/demo-seed-run';
import { eventually } from '../support/eventually';
import { expectedInsights, tallyStore } from '../support/insights-tally';
import { projectorCaughtUp } from '../support/projector-caught-up';
import { TestDatabase, createTestDatabase, testConfig } from '../support/test-stack';

type Json = Record<string, unknown>;
/** A flow as the API shows it: a month, two parties, and the figures. */
type ShownPairFlow = Json & { month: string; from: { agency: string }; to: { agency: string } };
const byPair = (flows: ShownPairFlow[]) =>
  Object.fromEntries(
    flows.map(({ month, from, to, ...figures }) => [
      `${month}|${from.agency}|${to.agency}`,
      figures,
    ]),
  );
const REFERRALS = 300;
/** Every count shown as it is, so that each can be compared (suppression has tests of its own). */
const THRESHOLD = 1;

describe('npm run demo:seed', () => {
  let database: TestDatabase;
  let config: BackboneConfig;
  let pool: Pool;
  let env: Record<string, string>;
  let app: INestApplication | undefined;
  let scratch: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    config = testConfig(database.url, { insightsMinCount: THRESHOLD });
    pool = new Pool({ connectionString: database.url, max: 2 });
    env = {
      DATABASE_URL: database.url,
      SUBJECT_ID_KEY: config.subjectIdKey,
      BACKBONE_MASTER_KEY: config.masterKey,
      LOG_LEVEL: 'warn',
    };
    scratch = await mkdtemp(join(tmpdir(), 'demo-seed-'));
  });

  afterAll(async () => {
    await app?.close();
    await pool.end();
    await database.drop();
    await rm(scratch, { recursive: true, force: true });
  });

  const storedEvents = async () =>
    (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0].n;

  it('refuses production mode and a directory that is not the demo one', async () => {
    const production = await runDemoSeed({ ...env, BACKBONE_ENV: 'production' });
    expect(production.code).toBe(1);
    expect(production.stderr).toContain('BACKBONE_ENV=production');

    const ownDirectory = join(scratch, 'directory.json');
    const renamed = demoDirectory.agencies.map((a, i) =>
      i ? a : { ...a, name: 'Another school' },
    );
    await writeFile(ownDirectory, JSON.stringify({ ...demoDirectory, agencies: renamed }));
    const other = await runDemoSeed({ ...env, DIRECTORY_FILE: ownDirectory });
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(`DIRECTORY_FILE=${ownDirectory} is not the demo directory`);

    // A copy of the demo directory is the demo directory: refused only for the lock held below.
    const copy = join(scratch, 'demo-copy.json');
    await writeFile(copy, JSON.stringify(demoDirectory));
    const watcher = new Client({ connectionString: database.url });
    await watcher.connect();
    try {
      await watcher.query('SELECT pg_advisory_lock($1)', [DEADLINE_WATCHER_PART.lockKey]);
      const locked = await runDemoSeed({ ...env, DIRECTORY_FILE: copy });
      expect(locked.code).toBe(1);
      expect(locked.stderr).toContain('a backbone is running on this database');
      expect(locked.stderr).not.toContain('DIRECTORY_FILE');
    } finally {
      await watcher.end();
    }
    expect(await storedEvents()).toBe(0);
  }, 120_000);

  it('seeds a year whose recorded times span it and rise with the store positions', async () => {
    const before = new Date();
    const run = await runDemoSeed(env, ['--referrals', String(REFERRALS), '--seed', '7', '--json']);
    expect(run.stderr).not.toContain('failed');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as Json;
    expect(summary.referralsMade).toBeGreaterThan(REFERRALS * 0.8);
    expect(summary.commands).toBe(
      (summary.accepted as number) +
        Object.values(summary.rejected as Json).reduce<number>((s, n) => s + (n as number), 0),
    );

    const { rows } = await pool.query<{ recorded_at: Date; correlation: string }>(
      `SELECT recorded_at, metadata->>'correlationId' AS correlation FROM events ORDER BY global_position`,
    );
    const times = rows.map((row) => row.recorded_at.getTime());
    const start = demoYearStart(before).getTime();
    expect(times[0]).toBeGreaterThanOrEqual(start);
    expect(times[0]).toBeLessThan(start + 10 * 86_400_000);
    expect(times[times.length - 1]).toBeLessThan(Date.now());
    expect(times[times.length - 1]).toBeGreaterThan(before.getTime() - 45 * 86_400_000);
    expect(times.every((time, i) => i === 0 || time >= times[i - 1])).toBe(true);
    // Each event says it was the seeder's (or the deadline watcher's, acting on one of its own).
    const correlations = new Set(rows.map((row) => row.correlation.split(':')[0]));
    expect([...correlations].sort()).toEqual(['deadline', 'demo-seed']);
  }, 180_000);

  it('refuses to seed a store that holds events recorded after the year began', async () => {
    const again = await runDemoSeed(env, ['--referrals', '10']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already holds events recorded after');
  }, 60_000);

  it("gives directors flows that agree with counts made straight from the store's events", async () => {
    app = await startBackbone(config, { handleSignals: false });
    const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const eventsTopic = new TopicNames(config.topicPrefix).events;
    await eventually(
      async () =>
        (await projectorCaughtUp(pool, config.kafkaBrokers, eventsTopic)) ? true : undefined,
      'the projector to catch up with the seeded year',
      120_000,
    );
    const tally = await tallyStore(pool);
    const directory = loadDirectory();
    for (const director of ['demo-randers-director', 'demo-redbridge-director']) {
      const response = await fetch(`${baseUrl}/v1/insights/flows`, {
        headers: { authorization: `Bearer ${DEMO_API_KEYS[director]}` },
      });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as Json;
      const agencies = directory.agenciesOfDirector(director);
      const expected = expectedInsights(
        tally,
        agencies,
        new Date(answer.asOf as string),
        THRESHOLD,
      );

      const flows = answer.agencyFlows as ShownPairFlow[];
      expect(byPair(flows)).toEqual(Object.fromEntries(expected.agencyFlows));
      const chains = answer.redirectChains as (Json & { month: string })[];
      expect(Object.fromEntries(chains.map(({ month, ...counts }) => [month, counts]))).toEqual(
        Object.fromEntries(expected.redirectChains),
      );
      expect(byPair(answer.handoverFlows as ShownPairFlow[])).toEqual(
        Object.fromEntries(expected.handoverFlows),
      );
      // A year of referrals between each director's agencies, month by month.
      expect(new Set(flows.map((flow) => flow.month)).size).toBe(12);
    }
  }, 240_000);
});
