// The audit of the audit (CONTRACT §7): only auditors may read through `/v1/audit/*`, every
// request states a purpose, and every request let through leaves exactly one
// `audit.accessed.v1` (who, what, why, when) on the auditor's own stream, itself readable and
// verifiable by auditors.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DEMO_API_KEYS } from '@backbone/directory';
import { BackboneUnderTest } from '../support/backbone-under-test';
import { makeReferralCommand } from '../support/referral-commands';

const SCHOOL = 'randers-school';
const SOCIAL = 'randers-social';
const AUDITOR = 'demo-audit-office';
const OPERATOR = 'demo-ops-team';
const ACCESS_STREAM = `audit-${AUDITOR}`;
const IDENTIFIER_VALUE = `2403${Date.now() % 1000000}`;

interface AccessRecord {
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

describe('the audit of the audit', () => {
  let backbone: BackboneUnderTest;
  let database: Client;
  let referralId: string;
  let subjectId: string;

  const accesses = async (): Promise<AccessRecord[]> =>
    (
      await database.query<AccessRecord>(
        `SELECT event_type AS type, data, metadata FROM events WHERE stream_id = $1 ORDER BY stream_version`,
        [ACCESS_STREAM],
      )
    ).rows;
  const get = (path: string, apiKey = DEMO_API_KEYS[AUDITOR]) => backbone.http(path, apiKey);
  /** Calls `path` and returns its status with the access records it left. */
  const recorded = async (path: string, apiKey?: string) => {
    const before = (await accesses()).length;
    const response = await get(path, apiKey);
    await response.arrayBuffer();
    return { status: response.status, records: (await accesses()).slice(before) };
  };

  beforeAll(async () => {
    backbone = await BackboneUnderTest.start(() => []);
    database = new Client({ connectionString: backbone.config.databaseUrl });
    await database.connect();
    const make = makeReferralCommand(SCHOOL, SOCIAL);
    make.data.subject.identifiers = [{ system: 'dk-cpr', value: IDENTIFIER_VALUE }];
    referralId = make.subject;
    const response = await backbone.http('/v1/commands', DEMO_API_KEYS[SCHOOL], {
      method: 'POST',
      body: JSON.stringify(make),
    });
    expect(response.status).toBe(200);
    const lookup = await get(
      `/v1/audit/subjects?identifier=dk-cpr|${IDENTIFIER_VALUE}&purpose=Finding+the+child`,
    );
    subjectId = ((await lookup.json()) as { subjectId: string }).subjectId;
  });
  afterAll(async () => {
    await database?.end();
    await backbone?.stop();
  });

  const purpose = 'Regulator inspection 2025/7';
  const q = `purpose=${encodeURIComponent(purpose)}`;
  const routes = () => [
    {
      path: `/v1/audit/referrals/${referralId}/history?${q}`,
      operation: 'referral-history',
      resource: `referral-${referralId}`,
      events: 1,
      subjectIds: [subjectId],
    },
    {
      path: `/v1/audit/referrals/${referralId}/history?${q}&asOf=2030-01-01T00:00:00Z`,
      operation: 'referral-history',
      resource: `referral-${referralId}`,
      asOf: '2030-01-01T00:00:00Z',
      events: 1,
      subjectIds: [subjectId],
    },
    {
      path: `/v1/audit/subjects/${subjectId}/history?${q}`,
      operation: 'subject-history',
      resource: `subject-${subjectId}`,
      events: 1,
      subjectIds: [subjectId],
    },
    {
      path: `/v1/audit/streams/referral-${referralId}/verify?${q}`,
      operation: 'stream-verification',
      resource: `referral-${referralId}`,
      events: 1,
      subjectIds: [],
    },
    {
      path: `/v1/audit/subjects?identifier=dk-cpr|${IDENTIFIER_VALUE}&${q}`,
      operation: 'subject-lookup',
      resource: expect.stringMatching(/^identifier:dk-cpr\|[0-9a-f]{64}$/),
      events: 0,
      subjectIds: [subjectId],
    },
    {
      path: `/v1/audit/referrals/${referralId}/export?${q}`,
      operation: 'evidence-export',
      resource: `referral-${referralId}`,
      events: 1,
      subjectIds: [subjectId],
    },
    {
      path: `/v1/audit/auditors/${AUDITOR}/accesses?limit=5&${q}`,
      operation: 'access-log',
      resource: ACCESS_STREAM,
      events: 5,
      subjectIds: [],
    },
  ];

  it('records every audit call exactly once: auditor, what was read, purpose, outcome', async () => {
    for (const { path, asOf, ...rest } of routes()) {
      const { status, records } = await recorded(path);
      expect([path, status, records]).toEqual([
        path,
        200,
        [
          {
            type: 'audit.accessed.v1',
            data: {
              auditor: AUDITOR,
              purpose,
              status: 200,
              ...rest,
              ...(asOf ? { asOf } : {}),
            },
            metadata: { source: 'backbone/audit', actingAgency: AUDITOR },
          },
        ],
      ]);
    }
  });

  it('looks a subject up by POST, the identifier in the body and not in the URL', async () => {
    const post = (body: unknown, apiKey = DEMO_API_KEYS[AUDITOR]) =>
      backbone.http(`/v1/audit/subjects/lookup?${q}`, apiKey, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const before = (await accesses()).length;
    const found = await post({ identifier: `dk-cpr|${IDENTIFIER_VALUE}` });
    expect([found.status, await found.json()]).toEqual([200, { subjectId }]);
    expect((await accesses()).slice(before)).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({
          operation: 'subject-lookup',
          resource: expect.stringMatching(/^identifier:dk-cpr\|[0-9a-f]{64}$/),
          subjectIds: [subjectId],
          status: 200,
        }),
      }),
    ]);
    expect((await post({ identifier: 'dk-cpr|0000000000' })).status).toBe(404);
    expect((await post({ identifier: 42 })).status).toBe(400);
    expect(
      (await post({ identifier: `dk-cpr|${IDENTIFIER_VALUE}` }, DEMO_API_KEYS[SCHOOL])).status,
    ).toBe(403);
  });

  it('records reads that find nothing too, with their status', async () => {
    const unknown = randomUUID();
    const { status, records } = await recorded(`/v1/audit/referrals/${unknown}/history?${q}`);
    expect(status).toBe(404);
    expect(records).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ resource: `referral-${unknown}`, status: 404, events: 0 }),
      }),
    ]);
    const badAsOf = await recorded(`/v1/audit/referrals/${referralId}/history?${q}&asOf=yesterday`);
    expect([badAsOf.status, badAsOf.records.length]).toEqual([400, 1]);
  });

  it('refuses calls without a purpose, and records nothing for them', async () => {
    for (const { path } of routes()) {
      const bare = path.replace(/[?&]purpose=[^&]*/, (m) => (m.startsWith('?') ? '?' : ''));
      for (const candidate of [bare, `${bare}${bare.includes('?') ? '&' : '?'}purpose=%20%20`]) {
        const response = await get(candidate);
        const body = (await response.json()) as { code?: string };
        expect([candidate, response.status, body.code]).toEqual([
          candidate,
          400,
          'PURPOSE_REQUIRED',
        ]);
      }
    }
    const before = (await accesses()).length;
    await get(`/v1/audit/referrals/${referralId}/history`);
    expect((await accesses()).length).toBe(before);
  });

  it('answers 403 to agencies and operators and 401 without a key, recording nothing', async () => {
    const others = Object.keys(DEMO_API_KEYS).filter((id) => id !== AUDITOR);
    expect(others).toContain(OPERATOR);
    for (const { path } of routes()) {
      for (const principal of others) {
        const { status, records } = await recorded(path, DEMO_API_KEYS[principal]);
        expect([path, principal, status, records]).toEqual([path, principal, 403, []]);
      }
      expect((await recorded(path, 'not-a-key')).status).toBe(401);
    }
  });

  it('never records the identifier looked up, only its keyed hash', async () => {
    const everything = await database.query<{ text: string }>(
      `SELECT data::text || metadata::text AS text FROM events WHERE stream_id = $1`,
      [ACCESS_STREAM],
    );
    expect(everything.rows.length).toBeGreaterThan(5);
    expect(everything.rows.some((row) => row.text.includes(IDENTIFIER_VALUE))).toBe(false);
  });

  it("keeps each auditor's accesses as a chain other auditors can read and verify", async () => {
    const response = await get(`/v1/audit/auditors/${AUDITOR}/accesses?${q}&limit=2`);
    const page = (await response.json()) as {
      entries: { streamVersion: number; data: object }[];
      next: number;
    };
    expect(page.entries.map((e) => e.streamVersion)).toEqual([1, 2]);
    expect(page.entries[0].data).toMatchObject({
      operation: 'subject-lookup',
      purpose: 'Finding the child',
    });
    const next = await get(
      `/v1/audit/auditors/${AUDITOR}/accesses?${q}&limit=2&after=${page.next}`,
    );
    expect(((await next.json()) as typeof page).entries[0].streamVersion).toBe(3);
    const verify = await get(`/v1/audit/streams/${ACCESS_STREAM}/verify?${q}`);
    expect(await verify.json()).toMatchObject({ valid: true });
  });

  it('publishes the key bundles are signed with to anyone, without a key', async () => {
    const response = await fetch(`${backbone.baseUrl}/v1/signing-keys`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      keys: [expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' })],
    });
  });
});
