import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@backbone/config';

/**
 * The Node.js flags `npm run start:backbone` gives the all-in-one process (its heap limit), read
 * from package.json so that the benchmark measures the process as it is deployed.
 */
function deployedNodeFlags(): string[] {
  const manifest = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const words = manifest.scripts['start:backbone'].split(/\s+/);
  return words.slice(words.indexOf('node') + 1).filter((word) => word.startsWith('--'));
}

/** The all-in-one backbone as its own process, as `npm run start:backbone` runs it. */
export async function startBackboneProcess(
  env: Record<string, string>,
  nodeFlags: string[] = [],
): Promise<{ child: ChildProcess; stop: () => Promise<void> }> {
  const main = join(projectRoot(), 'dist/apps/backbone/src/main.js');
  const child = spawn(process.execPath, [...deployedNodeFlags(), ...nodeFlags, main], {
    // The public development settings, as npm start runs: a deployed main would refuse them.
    env: { ...process.env, BACKBONE_ENV: 'development', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${env.PORT}/health`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the backbone exited with code ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('the backbone did not become healthy within 60 s');
    const healthy = await fetch(url)
      .then((r) => r.ok)
      .catch(() => false);
    if (healthy) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    });
  return { child, stop };
}
