// Benchmark: the backbone's PostgreSQL event store side by side with Emmett's PostgreSQL store,
// on the same server, each in a fresh database of its own and a process of its own, one after
// the other. Run with `npm run bench:event-store`. Figures go to stdout and the month's file in
// bench/history/.
//   BENCH_SECONDS (5)        length of each timed append workload
//   BENCH_REPLAY_EVENTS (200000)  events in the log before the full replay
//   BENCH_PAGE_SIZE (1000)   events per page while replaying
//   BENCH_ROUNDS (2)         rounds, alternating which store goes first; the best round counts
// The machine is shared (2 cores, PostgreSQL on it too): single rounds vary by tens of percent.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '@backbone/config';
import { ensureDatabase, migrate } from '@backbone/database';
import type { StoreFigures, StoreName, WorkerRequest } from './bench-worker';
import { bestOf, describeMachine, resultsTable } from './bench-report';
import { appendToResultsHistory } from './results-history';

const DATABASES: Record<StoreName, string> = {
  backbone: 'bench_backbone_event_store',
  emmett: 'bench_emmett_event_store',
};

// Fixed names, never input: identifiers cannot be bound as parameters.
const DROP: Record<StoreName, string> = {
  backbone: `DROP DATABASE IF EXISTS ${DATABASES.backbone} WITH (FORCE)`,
  emmett: `DROP DATABASE IF EXISTS ${DATABASES.emmett} WITH (FORCE)`,
};

function databaseUrl(baseUrl: string, database: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function dropDatabase(baseUrl: string, store: StoreName): Promise<void> {
  const admin = new Client({ connectionString: databaseUrl(baseUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(DROP[store]);
  } finally {
    await admin.end();
  }
}

function runWorker(request: WorkerRequest): Promise<StoreFigures> {
  return new Promise((resolve, reject) => {
    const worker = fork(join(__dirname, 'bench-worker.js'));
    worker.once('message', (reply: { figures?: StoreFigures; error?: string }) => {
      if (reply.figures) resolve(reply.figures);
      else reject(new Error(`${request.store} worker failed: ${reply.error}`));
    });
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${request.store} worker exited with ${code}`));
    });
    worker.send(request);
  });
}

async function main(): Promise<void> {
  const baseUrl = loadConfig().databaseUrl;
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const replayEvents = Number(process.env.BENCH_REPLAY_EVENTS ?? 200_000);
  const pageSize = Number(process.env.BENCH_PAGE_SIZE ?? 1_000);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  const runs: Record<StoreName, StoreFigures[]> = { backbone: [], emmett: [] };
  for (let round = 0; round < rounds; round++) {
    const order: StoreName[] = round % 2 === 0 ? ['backbone', 'emmett'] : ['emmett', 'backbone'];
    for (const store of order) {
      await dropDatabase(baseUrl, store);
      const url = databaseUrl(baseUrl, DATABASES[store]);
      await ensureDatabase(url);
      if (store === 'backbone') await migrate(url);
      process.stdout.write(`round ${round + 1}: ${store} …\n`);
      runs[store].push(
        await runWorker({ store, databaseUrl: url, seconds, replayEvents, pageSize }),
      );
      await dropDatabase(baseUrl, store);
    }
  }
  const figures = { backbone: bestOf(runs.backbone), emmett: bestOf(runs.emmett) };
  const machine = await describeMachine(baseUrl);
  const report = resultsTable(figures, { seconds, pageSize, rounds, machine });
  process.stdout.write(`\n${report}\n`);
  appendToResultsHistory(`\n${report}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
