// Who may use the directors' page (issue 24 item 6), over plain HTTP: only a director's key opens
// a session, which reads the insights API and nothing else; the page's and the ops console's
// sessions do not stand in for each other; a form posted from another site is refused; a session
// ends at sign-out, at expiry and when its key leaves the directory.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { DEMO_API_KEYS, sha256Hex } from '@backbone/directory';
import { BackboneUnderTest } from '../support/backbone-under-test';
import { eventually } from '../support/eventually';

const DIRECTOR = 'demo-randers-director';
/** A second key of the director's, revoked by one test. */
const SPARE_KEY = 'spare-director-key-for-this-test-only';

interface DirectoryDocument {
  directors: { id: string; apiKeySha256: string[] }[];
}

describe('directors’ page access', () => {
  let backbone: BackboneUnderTest;
  let pool: Pool;
  let directoryFile: string;

  const rewriteDirectory = (change: (directory: DirectoryDocument) => void) => {
    const directory = JSON.parse(readFileSync(directoryFile, 'utf8')) as DirectoryDocument;
    change(directory);
    writeFileSync(directoryFile, JSON.stringify(directory));
  };
  const directorEntry = (directory: DirectoryDocument) =>
    directory.directors.find((director) => director.id === DIRECTOR) as { apiKeySha256: string[] };

  beforeAll(async () => {
    directoryFile = join(mkdtempSync(join(tmpdir(), 'insights-directory-')), 'directory.json');
    writeFileSync(
      directoryFile,
      readFileSync(join(__dirname, '../../libs/directory/src/demo/demo-directory.json')),
    );
    rewriteDirectory((directory) =>
      directorEntry(directory).apiKeySha256.push(sha256Hex(SPARE_KEY)),
    );
    backbone = await BackboneUnderTest.start(() => [], { directoryFile, directoryReloadMs: 200 });
    pool = new Pool({ connectionString: backbone.config.databaseUrl, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await backbone?.stop();
  });

  const signIn = (path: string, key: string, headers: Record<string, string> = {}) =>
    fetch(`${backbone.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ key }).toString(),
      redirect: 'manual',
    });
  /** The session cookie (`name=value`) a sign-in set. */
  const sessionOf = async (key: string): Promise<string> => {
    const response = await signIn('/insights/session', key);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/insights');
    return (response.headers.get('set-cookie') ?? '').split(';')[0];
  };
  const get = (path: string, cookie: string) =>
    fetch(`${backbone.baseUrl}${path}`, { headers: { cookie }, redirect: 'manual' });

  it('opens a session to a director’s key only, and it reads the insights', async () => {
    for (const key of [
      DEMO_API_KEYS['randers-school'],
      DEMO_API_KEYS['demo-ops-team'],
      DEMO_API_KEYS['demo-audit-office'],
    ]) {
      const refused = await signIn('/insights/session', key);
      expect(refused.status).toBe(403);
      expect(refused.headers.get('set-cookie')).toBeNull();
    }
    expect((await signIn('/insights/session', 'not-a-key')).status).toBe(401);

    const session = await sessionOf(DEMO_API_KEYS[DIRECTOR]);
    expect(session).toMatch(/^insights_session=[A-Za-z0-9_-]{43}$/);
    const page = await get('/insights', session);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await page.text()).toContain(DIRECTOR);
    for (const path of ['/v1/insights/flows', '/v1/insights/agenda']) {
      const response = await get(path, session);
      expect([path, response.status]).toEqual([path, 200]);
    }
  });

  it('reaches nothing with the session that it does not reach without one', async () => {
    const session = await sessionOf(DEMO_API_KEYS[DIRECTOR]);
    const meantForDirectors = /^(GET|HEAD) \/(v1\/)?insights(\/|$)/;
    const reached: string[] = [];
    for (const route of backbone.registeredRoutes()) {
      if (meantForDirectors.test(route) || route.startsWith('POST /insights/session')) continue;
      const [method, template] = route.split(' ');
      const path = template.replace(/\{\w+\}/g, 'randers-social');
      const ask = (cookie: string) =>
        fetch(`${backbone.baseUrl}${path}`, {
          method,
          headers: { cookie, 'content-type': 'application/json' },
          body: method === 'GET' ? undefined : '{}',
          redirect: 'manual',
          signal: AbortSignal.timeout(5_000),
        });
      const without = await ask('');
      const withSession = await ask(session);
      await Promise.all([without.body?.cancel(), withSession.body?.cancel()]);
      if ([401, 403].includes(without.status) && ![401, 403].includes(withSession.status))
        reached.push(`${route}: ${withSession.status}`);
    }
    expect(reached).toEqual([]);
  });

  it('keeps the page’s and the ops console’s sessions apart', async () => {
    const insights = (await sessionOf(DEMO_API_KEYS[DIRECTOR])).split('=')[1];
    const ops = await signIn('/ops/session', DEMO_API_KEYS['demo-ops-team']);
    const opsToken = (ops.headers.get('set-cookie') ?? '').split(';')[0].split('=')[1];
    expect((await get('/ops', `ops_session=${insights}`)).status).toBe(401);
    expect((await get('/v1/insights/flows', `insights_session=${opsToken}`)).status).toBe(401);
    expect((await get('/insights', `insights_session=${opsToken}`)).status).toBe(401);
  });

  it('refuses a sign-in form posted from another site', async () => {
    const response = await signIn('/insights/session', DEMO_API_KEYS[DIRECTOR], {
      'sec-fetch-site': 'cross-site',
      origin: 'https://elsewhere.example',
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('ends a session at sign-out and at expiry', async () => {
    const signedOut = await sessionOf(DEMO_API_KEYS[DIRECTOR]);
    const end = await fetch(`${backbone.baseUrl}/insights/session/end`, {
      method: 'POST',
      headers: { cookie: signedOut },
      redirect: 'manual',
    });
    expect(end.status).toBe(303);
    expect(end.headers.get('set-cookie')).toMatch(/^insights_session=deleted; .*Max-Age=0/);
    expect((await get('/v1/insights/flows', signedOut)).status).toBe(401);

    const expiring = await sessionOf(DEMO_API_KEYS[DIRECTOR]);
    await pool.query(
      `UPDATE web_sessions SET expires_at = now() - interval '1 second' WHERE realm = 'insights'`,
    );
    expect((await get('/v1/insights/flows', expiring)).status).toBe(401);
    expect((await get('/insights', expiring)).status).toBe(401);
  });

  it('ends the sessions of a director’s key when the key is revoked', async () => {
    const kept = await sessionOf(DEMO_API_KEYS[DIRECTOR]);
    const revoked = await sessionOf(SPARE_KEY);
    const flows = (session: string) => get('/v1/insights/flows', session);
    expect((await flows(revoked)).status).toBe(200);
    rewriteDirectory((directory) => {
      const entry = directorEntry(directory);
      entry.apiKeySha256 = entry.apiKeySha256.filter((hash) => hash !== sha256Hex(SPARE_KEY));
    });
    await eventually(
      async () => ((await flows(revoked)).status === 401 ? true : undefined),
      'the revoked key’s session to end',
      10_000,
    );
    expect((await flows(kept)).status).toBe(200);
  });
});
