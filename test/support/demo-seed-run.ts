import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '@backbone/config';

export interface DemoSeedRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run demo:seed`'s program from source with `env` only (and what node needs). */
export function runDemoSeed(
  env: Record<string, string>,
  args: string[] = [],
): Promise<DemoSeedRun> {
  const root = projectRoot();
  const child = spawn(
    process.execPath,
    [
      '-r',
      '@swc-node/register',
      '-r',
      'tsconfig-paths/register',
      'infra/demo-seed/demo-seed-cli.ts',
      ...args,
    ],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: join(root, 'tsconfig.json'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}
