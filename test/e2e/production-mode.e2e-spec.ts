// A deployed service (its `main`, as `npm run start:*` runs it) is in production mode unless told
// otherwise, and refuses public development settings before it touches the database or Kafka.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '@backbone/config';
import { makeCertificateAuthority } from '../../infra/kafka/tls-material';

const PRIVATE_SETTINGS = {
  SUBJECT_ID_KEY: 'k'.repeat(44),
  BACKBONE_MASTER_KEY: 'prod-1:C9o3mJk8V8pZQ4x0bqk2m7rj2g6oVv3Fh0m1u9qXb3I=',
  AUDIT_SIGNING_KEY: 'mH7F2c3Qm1f0vGkKpX4N9sT2yW8uB5eZ1aD6rL0oJ3c=',
  KAFKA_AUTH: 'sasl',
  KAFKA_SASL_PASSWORD: 'p'.repeat(24),
  KAFKA_AGENCY_CREDENTIALS: 'issued',
};

/** Runs the all-in-one process's main from source with `env` only (and what node needs). */
function runMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const root = projectRoot();
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', '-r', 'tsconfig-paths/register', 'apps/backbone/src/main.ts'],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        TS_NODE_PROJECT: join(root, 'tsconfig.json'),
        // Nothing listens here: a service that got as far as connecting would hang, not refuse.
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
        KAFKA_BROKERS: '127.0.0.1:1',
        LOG_LEVEL: 'fatal',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

describe('a deployed service in production mode', () => {
  let tlsDir: string;
  let kafkaCaFile: string;

  beforeAll(async () => {
    tlsDir = await mkdtemp(join(tmpdir(), 'production-mode-'));
    kafkaCaFile = (await makeCertificateAuthority(tlsDir, 'kafka-ca')).certFile;
  });

  afterAll(() => rm(tlsDir, { recursive: true, force: true }));

  it('refuses the public development settings, naming each and its fix', async () => {
    const { code, stderr } = await runMain({});
    expect(code).toBe(1);
    expect(stderr).toContain('BACKBONE_ENV=production refuses to start');
    for (const setting of [
      'SUBJECT_ID_KEY',
      'BACKBONE_MASTER_KEY',
      'AUDIT_SIGNING_KEY',
      'KAFKA_AUTH',
      'KAFKA_TLS',
      'DIRECTORY_FILE',
    ])
      expect(stderr).toMatch(new RegExp(`- ${setting} .+: .+`));
  }, 30_000);

  it('names only what is left once the rest is private', async () => {
    const { code, stderr } = await runMain({
      ...PRIVATE_SETTINGS,
      KAFKA_TLS: 'on',
      KAFKA_TLS_CA_FILE: kafkaCaFile,
      DIRECTORY_FILE: join(projectRoot(), 'libs/directory/src/demo/demo-directory.json'),
    });
    expect(code).toBe(1);
    const named = stderr.split('\n').filter((line) => line.startsWith('  - '));
    expect(named).toHaveLength(1);
    expect(named[0]).toMatch(/^ {2}- DIRECTORY_FILE accepts the demo directory's public API keys/);
  }, 30_000);
});
