// Runs every workload against one store, in a process of its own (so that neither store's
// process-wide settings, JIT or garbage touch the other's figures), and reports over IPC.
import { performance } from 'node:perf_hooks';
import { BackboneBenchStore } from './backbone-bench-store';
import type { BenchStore } from './bench-store';
import { AppendFigures, seed, timedAppends } from './bench-workloads';
import { EmmettBenchStore } from './emmett-bench-store';

export type StoreName = 'backbone' | 'emmett';

export interface WorkerRequest {
  store: StoreName;
  databaseUrl: string;
  seconds: number;
  replayEvents: number;
  pageSize: number;
}

export interface StoreFigures {
  appendOne: AppendFigures;
  appendSixteen: AppendFigures;
  batchesSixteen: AppendFigures;
  /** The timed pass delivered `events`; an untimed second pass found `unique` of `checked`. */
  replay: { events: number; checked: number; unique: number; expected: number; seconds: number };
}

const CONNECTIONS = 16;

async function open(request: WorkerRequest): Promise<BenchStore> {
  return request.store === 'backbone'
    ? new BackboneBenchStore(request.databaseUrl, CONNECTIONS)
    : EmmettBenchStore.open(request.databaseUrl, CONNECTIONS);
}

async function run(request: WorkerRequest): Promise<StoreFigures> {
  const store = await open(request);
  try {
    const { seconds } = request;
    let stored = 0;
    const count = (figures: AppendFigures): AppendFigures => {
      stored += figures.events;
      return figures;
    };
    count(await timedAppends(store, 'warm-up', 16, 1, 1)); // connections, prepared plans, JIT
    const appendOne = count(await timedAppends(store, 'one', 1, 1, seconds));
    const appendSixteen = count(await timedAppends(store, 'sixteen', 16, 1, seconds));
    const batchesSixteen = count(await timedAppends(store, 'batches', 16, 10, seconds));
    if (stored < request.replayEvents)
      stored += await seed(store, 'seed', request.replayEvents - stored);
    await store.settle();
    const started = performance.now();
    const { events } = await store.replay(request.pageSize, false);
    const replaySeconds = (performance.now() - started) / 1000;
    const { unique = 0, events: checked } = await store.replay(request.pageSize, true);
    const replay = { events, checked, unique, expected: stored, seconds: replaySeconds };
    return { appendOne, appendSixteen, batchesSixteen, replay };
  } finally {
    await store.close();
  }
}

process.once('message', (request: WorkerRequest) => {
  run(request).then(
    (figures) => process.send?.({ figures }, () => process.exit(0)),
    (error: unknown) => {
      process.send?.({ error: error instanceof Error ? error.stack : String(error) }, () =>
        process.exit(1),
      );
    },
  );
});
