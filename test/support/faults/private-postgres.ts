// A PostgreSQL server of the test's own (initdb in a temporary directory, on a free port), so a
// test can stop and restart it under load without disturbing anything else on the machine.
import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { findFreePort } from '../../../infra/dev-stack/free-port';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';
/** initdb and postgres refuse to run as root: they run as the machine's postgres user. */
const AS_POSTGRES = ['-u', 'postgres', '--'];

export class PrivatePostgres {
  private constructor(
    private readonly dataDir: string,
    readonly port: number,
  ) {}

  static async start(): Promise<PrivatePostgres> {
    const root = await mkdtemp(join(tmpdir(), 'backbone-pg-'));
    await chmod(root, 0o755);
    const { stdout } = await run('id', ['-u', 'postgres']);
    const uid = Number(stdout.trim());
    await chown(root, uid, uid);
    const dataDir = join(root, 'data');
    await run('runuser', [
      ...AS_POSTGRES,
      `${BIN}/initdb`,
      '--auth=trust',
      '--username=postgres',
      '--no-sync',
      '-D',
      dataDir,
    ]);
    const server = new PrivatePostgres(dataDir, await findFreePort());
    await server.startServer();
    return server;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  databaseUrl(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async startServer(): Promise<void> {
    await run('runuser', [
      ...AS_POSTGRES,
      `${BIN}/pg_ctl`,
      '-D',
      this.dataDir,
      '-o',
      `-p ${this.port} -k /tmp -c listen_addresses=127.0.0.1`,
      '-l',
      join(this.dataDir, 'server.log'),
      '-w',
      'start',
    ]);
    await this.waitUntilAnswering();
  }

  /** A fast shutdown: open sessions are cut, as in a failover or an operator's restart. */
  async stopServer(): Promise<void> {
    await run('runuser', [
      ...AS_POSTGRES,
      `${BIN}/pg_ctl`,
      '-D',
      this.dataDir,
      '-m',
      'fast',
      '-w',
      'stop',
    ]);
  }

  async destroy(): Promise<void> {
    await this.stopServer().catch(() => undefined);
    await rm(join(this.dataDir, '..'), { recursive: true, force: true });
  }

  private async waitUntilAnswering(): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const client = new Client({ connectionString: this.url });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200));
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    throw new Error(`private PostgreSQL on port ${this.port} did not answer`);
  }
}
