import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { projectRoot } from '@backbone/config';

const run = promisify(execFile);

/** True when a Docker engine answers (the CLI alone is not enough). */
export async function dockerEngineAnswers(): Promise<boolean> {
  try {
    await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** Starts services of docker-compose.yml in the background. */
export async function composeUp(services: string[]): Promise<void> {
  await run('docker', ['compose', 'up', '--detach', '--wait', ...services], {
    cwd: projectRoot(),
    timeout: 300_000,
  });
}
