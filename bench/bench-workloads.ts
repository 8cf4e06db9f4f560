import { performance } from 'node:perf_hooks';
import { benchEvents, BenchStore } from './bench-store';

export interface AppendFigures {
  appends: number;
  events: number;
  seconds: number;
}

/**
 * `writers` concurrent writers, each appending `batch` events at a time to a stream of its own
 * with the exact expected version, for `seconds`. What counts is what committed by then.
 */
export async function timedAppends(
  store: BenchStore,
  label: string,
  writers: number,
  batch: number,
  seconds: number,
): Promise<AppendFigures> {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let appends = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const streamId = `${label}-${w}`;
      for (let version = 0; performance.now() < deadline; version += batch) {
        await store.append(streamId, version, benchEvents(batch));
        appends++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { appends, events: appends * batch, seconds: elapsed };
}

/** Appends `total` events in batches of 100 from a few writers: a log to replay. */
export async function seed(store: BenchStore, label: string, total: number): Promise<number> {
  const writers = 4;
  const perWriter = Math.ceil(total / writers / 100);
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; i < perWriter; i++) {
        await store.append(`${label}-${w}`, i * 100, benchEvents(100));
      }
    }),
  );
  return perWriter * writers * 100;
}
