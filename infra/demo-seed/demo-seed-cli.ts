// `npm run demo:seed [-- --seed N] [--referrals N] [--json]`: a year of synthetic cooperation
// among the demo sites, made by the sector service's own command handling on a clock that walks
// through the year, into the development store at DATABASE_URL. The backbone (npm start)
// publishes and projects it like any other events. Development only: see seed-refusals.ts.
import 'reflect-metadata';
import { Client } from 'pg';
import { loadConfig } from '@backbone/config';
import { ensureDatabase, migrate } from '@backbone/database';
import { loadDirectory } from '@backbone/directory';
import { DEFAULT_DECISION_HOURS } from '@backbone/domain';
import { EVENT_STORE, EventStore } from '@backbone/event-store';
import { rootLogger } from '@backbone/observability';
import {
  CommandProcessor,
  DeadlineActions,
  DeadlineTracking,
  PendingDeadlines,
} from '@backbone/sector-service';
import { DemoYearSeeder } from './demo-year-seeder';
import { planDemoYear, demoYearStart } from './scenario/demo-year';
import { parseSeedArgs } from './seed-args';
import { SeedClock } from './seed-clock';
import { settingsRefusals, storeRefusal, takeDeadlineWatcherLock } from './seed-refusals';
import { eventsByType, recordedOutOfOrder } from './seeded-events';
import { SEEDING_STARTED } from './seeding-signal';
import { seedSummary, summaryLines } from './seed-summary';
import { startSeedingApp } from './seeding-app';

const say = (line: string): void => void process.stderr.write(`${line}\n`);

function refuse(problems: string[]): void {
  say('npm run demo:seed refuses to run:');
  for (const problem of problems) say(`  - ${problem}`);
  process.exitCode = 1;
}

async function main(): Promise<void> {
  const args = parseSeedArgs(process.argv.slice(2));
  rootLogger.level = process.env.LOG_LEVEL ?? 'warn';
  const config = loadConfig();
  const refusals = settingsRefusals(config);
  if (refusals.length) return refuse(refusals);

  await ensureDatabase(config.databaseUrl);
  await migrate(config.databaseUrl);
  const end = new Date();
  const start = demoYearStart(end);
  // Its own session: it holds the deadline watcher's lock until the seeding is done.
  const session = new Client({
    connectionString: config.databaseUrl,
    application_name: 'demo-seed',
  });
  await session.connect();
  try {
    const problems = [await takeDeadlineWatcherLock(session), await storeRefusal(session, start)];
    const found = problems.filter((problem): problem is string => problem !== undefined);
    if (found.length) return refuse(found);
    process.send?.(SEEDING_STARTED);

    const directory = loadDirectory(config.directoryFile);
    const plan = planDemoYear({
      seed: args.seed,
      referrals: args.referrals,
      start,
      end,
      decisionHoursOf: (agency) => ({
        ...DEFAULT_DECISION_HOURS,
        ...directory.agency(agency)?.decisionHours,
      }),
    });
    say(
      `Seeding ${plan.commands.length} commands from ${start.toISOString()} to ${end.toISOString()} (seed ${plan.seed})…`,
    );
    const clock = new SeedClock(start);
    const app = await startSeedingApp(config, clock);
    const started = Date.now();
    try {
      const seeder = new DemoYearSeeder({
        processor: app.get(CommandProcessor),
        tracking: app.get(DeadlineTracking),
        actions: app.get(DeadlineActions),
        deadlines: app.get(PendingDeadlines),
        store: app.get<EventStore>(EVENT_STORE),
        clock,
      });
      const tally = await seeder.run(plan, ({ month, commands }) =>
        say(
          `  ${month}: ${commands} commands so far (${Math.round((Date.now() - started) / 1000)} s)`,
        ),
      );
      const seconds = (Date.now() - started) / 1000;
      const outOfOrder = await recordedOutOfOrder(session, start);
      if (outOfOrder)
        throw new Error(
          `${outOfOrder} events are recorded earlier than the event before them: something else wrote to the store while the year was seeded`,
        );
      const summary = seedSummary(plan, tally, await eventsByType(session, start, end), seconds);
      if (args.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else for (const line of summaryLines(summary)) process.stdout.write(`${line}\n`);
      say(
        'The backbone publishes and projects these events from the store (npm start); the directors see them at /v1/insights/flows.',
      );
    } finally {
      await app.close();
    }
  } finally {
    await session.end();
  }
}

main().catch((error: unknown) => {
  say(`npm run demo:seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
