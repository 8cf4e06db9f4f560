import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { projectRoot } from '@backbone/config';

/**
 * A worker thread's heap, which the process's RSS bound (300 MB) must also hold. The projector's
 * thread had 21-33 MiB of it in use under full load (its code and libraries, and groups of at
 * most a few thousand events); a thread that outgrows it ends and is started again.
 */
const WORKER_HEAP_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 };

/**
 * A worker thread running the module `name` of `directory`: the compiled `.js` in a build, or
 * the TypeScript source where the process runs from sources (jest), compiled on load by
 * @swc-node/register with the project's tsconfig (its path aliases included).
 */
export function startModuleWorker(directory: string, name: string, workerData: unknown): Worker {
  const options = { workerData, resourceLimits: WORKER_HEAP_LIMITS };
  const compiled = join(directory, `${name}.js`);
  if (existsSync(compiled)) return new Worker(compiled, options);
  const source = join(directory, `${name}.ts`);
  const loader = `require('@swc-node/register'); require(${JSON.stringify(source)});`;
  return new Worker(loader, {
    ...options,
    eval: true,
    env: { ...process.env, SWC_NODE_PROJECT: join(projectRoot(), 'tsconfig.json') },
  });
}
