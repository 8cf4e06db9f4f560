// `npm start -- --seed`: the demo seeder in a process of its own, started before the backbone so
// that it holds the deadline watcher's lock first; the backbone's publisher and projector then
// follow the seeded events as they are recorded, and its watcher takes over when seeding ends.
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { SEEDING_STARTED } from '../demo-seed/seeding-signal';

export interface DemoSeeding {
  /** Resolves with the seeder's exit code. */
  ended: Promise<number>;
  stop(): void;
}

/** Starts the seeder; resolves once it is seeding, rejects if it ends before (a refusal). */
export function startDemoSeeding(env: NodeJS.ProcessEnv): Promise<DemoSeeding> {
  const child: ChildProcess = fork(join(__dirname, '..', 'demo-seed', 'demo-seed-cli.js'), [], {
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ended = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  return new Promise((resolve, reject) => {
    child.once('message', (message) => {
      if (message === SEEDING_STARTED) resolve({ ended, stop: () => void child.kill('SIGTERM') });
    });
    void ended.then((code) =>
      reject(new Error(`the demo seeder ended (exit ${code}) before it started seeding`)),
    );
  });
}
