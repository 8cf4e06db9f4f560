// Who may use the ops console (issue #10): without a session every /ops page and API answers
// 401, an agency's or an auditor's key 403; only an operator signs in, into an HttpOnly,
// SameSite=Strict session that expires. Also /health part by part, and /metrics naming.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { DEMO_API_KEYS, sha256Hex } from '@backbone/directory';
import { BackboneUnderTest } from '../support/backbone-under-test';
import { eventually } from '../support/eventually';

const OPERATOR = 'demo-ops-team';
const OPERATOR_KEY = DEMO_API_KEYS[OPERATOR];
const AGENCY_KEY = DEMO_API_KEYS['randers-school'];
const AUDITOR_KEY = DEMO_API_KEYS['demo-audit-office'];
/** A second key of the operator's, revoked by one test. */
const SPARE_KEY = 'spare-operator-key-for-this-test-only';

interface DirectoryDocument {
  operators: { id: string; apiKeySha256: string[] }[];
}

describe('ops console access', () => {
  let backbone: BackboneUnderTest;
  let pool: Pool;
  let consoleRoutes: { method: string; path: string }[];
  let directoryFile: string;

  const rewriteDirectory = (change: (directory: DirectoryDocument) => void) => {
    const directory = JSON.parse(readFileSync(directoryFile, 'utf8')) as DirectoryDocument;
    change(directory);
    writeFileSync(directoryFile, JSON.stringify(directory));
  };
  const operatorEntry = (directory: DirectoryDocument) =>
    directory.operators.find((operator) => operator.id === OPERATOR) as { apiKeySha256: string[] };

  beforeAll(async () => {
    directoryFile = join(mkdtempSync(join(tmpdir(), 'ops-console-directory-')), 'directory.json');
    writeFileSync(
      directoryFile,
      readFileSync(join(__dirname, '../../libs/directory/src/demo/demo-directory.json')),
    );
    rewriteDirectory((directory) =>
      operatorEntry(directory).apiKeySha256.push(sha256Hex(SPARE_KEY)),
    );
    backbone = await BackboneUnderTest.start(() => [], { directoryFile, directoryReloadMs: 200 });
    pool = new Pool({ connectionString: backbone.config.databaseUrl, max: 2 });
    consoleRoutes = backbone
      .registeredRoutes()
      .filter((route) => / \/ops\b/.test(route) || route === 'POST /v1/operator/commands')
      .map((route) => {
        const [method, path] = route.split(' ');
        return { method, path };
      });
  });
  afterAll(async () => {
    await pool?.end();
    await backbone?.stop();
  });

  /** Calls a route as a browser or a script would, without following redirects. */
  const call = (
    { method, path }: { method: string; path: string },
    headers: Record<string, string> = {},
  ) =>
    fetch(`${backbone.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: method === 'POST' ? '{}' : undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(5_000),
    });

  const signIn = (key: string) =>
    fetch(`${backbone.baseUrl}/ops/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ key }).toString(),
      redirect: 'manual',
    });

  const sessionOf = async (key: string): Promise<string> => {
    const response = await signIn(key);
    expect(response.status).toBe(303);
    return (response.headers.get('set-cookie') ?? '').split(';')[0];
  };

  it('serves the console, its APIs and the sign-in form', () => {
    const routes = consoleRoutes.map(({ method, path }) => `${method} ${path}`);
    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /ops',
        'POST /ops/session',
        'POST /ops/session/end',
        'GET /ops/api/tail',
        'GET /ops/api/throughput',
        'GET /ops/api/lag',
        'GET /ops/api/dead-letters',
        'GET /ops/api/overdue',
        'GET /ops/api/quarantined-events',
        'POST /ops/api/quarantined-events/reapply',
        'POST /v1/operator/commands',
      ]),
    );
  });

  it('answers 401 on every console page and API without a session', async () => {
    for (const route of consoleRoutes) {
      const response = await call(route);
      expect([route.method, route.path, response.status]).toEqual([route.method, route.path, 401]);
      await response.body?.cancel();
    }
  });

  it("answers 403 on every console page and API to an agency's or an auditor's key", async () => {
    for (const key of [AGENCY_KEY, AUDITOR_KEY]) {
      for (const route of consoleRoutes) {
        const response =
          route.path === '/ops/session'
            ? await signIn(key)
            : await call(route, { authorization: `Bearer ${key}` });
        expect([route.method, route.path, response.status]).toEqual([
          route.method,
          route.path,
          403,
        ]);
        expect(response.headers.get('set-cookie')).toBeNull();
        await response.body?.cancel();
      }
    }
  });

  it('signs an operator in with an HttpOnly, SameSite=Strict session cookie', async () => {
    const response = await signIn(OPERATOR_KEY);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/ops');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^ops_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).toMatch(/Max-Age=\d+/);
    expect(cookie).not.toContain(OPERATOR_KEY);

    const session = cookie.split(';')[0];
    const page = await call({ method: 'GET', path: '/ops' }, { cookie: session });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await page.text()).toContain(OPERATOR);
    for (const path of [
      '/ops/api/lag',
      '/ops/api/dead-letters',
      '/ops/api/overdue',
      '/ops/api/quarantined-events',
    ]) {
      const api = await call({ method: 'GET', path }, { cookie: session });
      expect([path, api.status]).toEqual([path, 200]);
    }
  });

  it('refuses an unknown key, and ends a session at sign-out and at expiry', async () => {
    expect((await signIn('not-a-key')).status).toBe(401);

    const signedOut = await sessionOf(OPERATOR_KEY);
    const end = await call({ method: 'POST', path: '/ops/session/end' }, { cookie: signedOut });
    expect(end.status).toBe(303);
    expect(end.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    const after = await call({ method: 'GET', path: '/ops/api/overdue' }, { cookie: signedOut });
    expect(after.status).toBe(401);

    const expiring = await sessionOf(OPERATOR_KEY);
    await pool.query(`UPDATE web_sessions SET expires_at = now() - interval '1 second'`);
    const expired = await call({ method: 'GET', path: '/ops' }, { cookie: expiring });
    expect(expired.status).toBe(401);
    expect(await expired.text()).toContain('Operator key');
  });

  it('ends the sessions of an operator key when the key is revoked', async () => {
    const kept = await sessionOf(OPERATOR_KEY);
    const revoked = await sessionOf(SPARE_KEY);
    const overdue = (session: string) =>
      call({ method: 'GET', path: '/ops/api/overdue' }, { cookie: session });
    expect((await overdue(revoked)).status).toBe(200);
    rewriteDirectory((directory) => {
      const entry = operatorEntry(directory);
      entry.apiKeySha256 = entry.apiKeySha256.filter((hash) => hash !== sha256Hex(SPARE_KEY));
    });
    await eventually(
      async () => ((await overdue(revoked)).status === 401 ? true : undefined),
      'the revoked key’s session to end',
      10_000,
    );
    expect((await overdue(kept)).status).toBe(200);
  });

  it('takes operator commands from a session only from its own origin', async () => {
    const session = await sessionOf(OPERATOR_KEY);
    const command = {
      specversion: '1.0',
      id: randomUUID(),
      source: `operator/${OPERATOR}`,
      type: 'dead-letter.redrive.v1',
      time: new Date().toISOString(),
      subject: 'dead-letters',
      data: { deadLetterIds: [randomUUID()] },
    };
    const send = (origin: string) =>
      fetch(`${backbone.baseUrl}/v1/operator/commands`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: session, origin },
        body: JSON.stringify(command),
      });
    expect((await send('https://elsewhere.example')).status).toBe(403);
    const own = await send(backbone.baseUrl);
    expect(own.status).toBe(404); // authorised; that dead letter does not exist
    expect(await own.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reports every part of the backbone at /health, with @nestjs/terminus', async () => {
    const health = await eventually(async () => {
      const response = await fetch(`${backbone.baseUrl}/health`);
      const body = (await response.json()) as {
        status: string;
        details: Record<string, { status: string }>;
      };
      return response.status === 200 ? body : undefined;
    }, 'every part up');
    expect(health.status).toBe('ok');
    expect(Object.keys(health.details).sort()).toEqual(
      ['deadlineWatcher', 'kafka', 'postgres', 'projectors', 'publisher'].sort(),
    );
    for (const part of Object.values(health.details)) expect(part.status).toBe('up');
    expect((await fetch(`${backbone.baseUrl}/health/live`)).status).toBe(200);
  });

  it('names metrics the Prometheus way, with no referral or person ids as labels', async () => {
    expect((await fetch(`${backbone.baseUrl}/metrics`)).status).toBe(401);
    expect((await backbone.http('/metrics', AGENCY_KEY)).status).toBe(403);
    // Lag is exported once the console sampled the consumer groups.
    const text = await eventually(async () => {
      const body = await (await backbone.http('/metrics', OPERATOR_KEY)).text();
      return /^backbone_consumer_group_lag\{/m.test(body) ? body : undefined;
    }, 'sampled consumer lag');
    const types = new Map(
      [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, name, type]) => [name, type]),
    );
    // prom-client's process metrics (nodejs_*, process_*) are its own business.
    const own = [...types].filter(([name]) => !/^(nodejs|process)_/.test(name));
    expect(own.length).toBeGreaterThan(10);
    for (const [name, type] of own) {
      expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
      if (type === 'counter') expect(name).toMatch(/_total$/);
      else expect(name).not.toMatch(/_total$/);
      // Base units only: seconds and bytes, never milliseconds, minutes or kilobytes.
      expect(name).not.toMatch(
        /_(ms|milliseconds|microseconds|minutes|hours|kilobytes|megabytes|percent)(_|$)/,
      );
    }
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      expect(line).not.toMatch(uuid);
      expect(line).not.toMatch(/(referral|subject|person|case|event)_?id=/i);
    }

    // The alert rules and the dashboard ask only for metrics the backbone has.
    const monitoring = join(__dirname, '../../infra/monitoring');
    const queries = [
      readFileSync(join(monitoring, 'prometheus/alert-rules.yml'), 'utf8'),
      readFileSync(join(monitoring, 'grafana/referral-backbone-dashboard.json'), 'utf8'),
    ].join('\n');
    const asked = new Set(
      [...queries.matchAll(/\b((?:backbone|event_store|projector)_[a-z0-9_]+)/g)].map(([, n]) => n),
    );
    expect(asked.size).toBeGreaterThan(5);
    const known = (name: string) =>
      types.has(name) || types.has(name.replace(/_(bucket|sum|count)$/, ''));
    expect([...asked].filter((name) => !known(name))).toEqual([]);
  });
});
