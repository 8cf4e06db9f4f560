import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { composeUp, dockerEngineAnswers } from './docker-engine';

const run = promisify(execFile);

async function postgresAnswers(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function waitForPostgres(databaseUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await postgresAnswers(databaseUrl)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(
    `PostgreSQL at ${new URL(databaseUrl).host} did not answer within ${timeoutMs} ms`,
  );
}

/** Starts the machine's own Debian cluster (pg_ctlcluster), as installed on this kind of host. */
async function startLocalCluster(): Promise<void> {
  const versions = await readdir('/etc/postgresql');
  if (!versions.length) throw new Error('no local PostgreSQL cluster under /etc/postgresql');
  await run('pg_ctlcluster', ['--skip-systemctl-redirect', versions[0], 'main', 'start'], {
    timeout: 60_000,
  });
}

/**
 * Makes sure PostgreSQL answers at `databaseUrl`: already running, else Docker Compose where a
 * Docker engine answers, else the local cluster. Returns how it was found.
 */
export async function ensurePostgres(
  databaseUrl: string,
): Promise<'reachable' | 'docker' | 'local-cluster'> {
  if (await postgresAnswers(databaseUrl)) return 'reachable';
  if (await dockerEngineAnswers()) {
    await composeUp(['postgres']);
    await waitForPostgres(databaseUrl, 60_000);
    return 'docker';
  }
  await startLocalCluster();
  await waitForPostgres(databaseUrl, 60_000);
  return 'local-cluster';
}
