// Auditors answer "who knew what, when, and what did they do about it" from the event store
// alone: a scripted multi-agency story (made, redirected, accepted, handed over, completed,
// erased) replays to the exact timeline, `asOf` gives the state that held at each step, and the
// evidence bundle of it checks offline and fails once changed.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DEMO_API_KEYS } from '@backbone/directory';
import { runAuditCommand } from '../../apps/audit/src/cli/audit-command';
import { runCheckExport } from '../../apps/audit/src/evidence/check-export-command';
import { BackboneUnderTest } from '../support/backbone-under-test';
import { commandFrom, makeReferralCommand } from '../support/referral-commands';
import { eraseCommand } from '../support/operator-commands';

const SCHOOL = 'randers-school';
const SOCIAL = 'randers-social';
const POLICE = 'east-jutland-police';
const AUDITOR = 'demo-audit-office';
const OPERATOR = 'demo-ops-team';
const PURPOSE = 'Serious case review SCR-2025-014';
const IDENTIFIER = { system: 'urn:oid:1.2.208.176.1.2', value: `01011${Date.now() % 100000}` };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Entry {
  streamId: string;
  type: string;
  actingAgency: string | null;
  actor: string | null;
  statusAfter?: string;
  responsibleAfter?: string;
  lawfulBasis?: Record<string, unknown>;
  data: Record<string, unknown>;
  recordedAt: string;
}

/** Captures what the terminal would show. */
const capture = () => {
  let text = '';
  return { write: (chunk: string) => void (text += chunk), text: () => text, columns: 400 };
};

describe('audit histories of a multi-agency story', () => {
  let backbone: BackboneUnderTest;
  const dir = mkdtempSync(join(tmpdir(), 'audit-e2e-'));
  const r1 = randomUUID();
  const r2 = randomUUID();
  const handoverId = randomUUID();
  let caseId: string;
  let subjectId: string;
  /** The instant right after each step of the story was answered. */
  const after: Record<string, string> = {};

  const send = async (agency: string, command: object): Promise<void> => {
    const response = await backbone.http('/v1/commands', DEMO_API_KEYS[agency], {
      method: 'POST',
      body: JSON.stringify(command),
    });
    expect([response.status, await response.text()]).toEqual([200, expect.any(String)]);
  };
  const step = async (name: string, action: () => Promise<void>): Promise<void> => {
    await action();
    after[name] = new Date().toISOString();
    await sleep(15); // the next step's events are recorded strictly later
  };
  const audit = async (path: string, query: Record<string, string> = {}) => {
    const params = new URLSearchParams({ purpose: PURPOSE, ...query });
    const response = await backbone.http(`${path}?${params.toString()}`, DEMO_API_KEYS[AUDITOR]);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const referralHistory = async (id: string, asOf?: string) => {
    const { status, body } = await audit(`/v1/audit/referrals/${id}/history`, asOf ? { asOf } : {});
    expect(status).toBe(200);
    return body as { entries: Entry[]; state: { status: string } | null };
  };

  beforeAll(async () => {
    backbone = await BackboneUnderTest.start(() => []);
    after.start = new Date().toISOString();
    await sleep(15);
    await step('made', async () => {
      const make = makeReferralCommand(SCHOOL, SOCIAL, { subject: r1 });
      Object.assign(make.data, { referralId: r1, category: 'safeguarding' });
      make.data.subject.identifiers = [IDENTIFIER];
      await send(SCHOOL, make);
    });
    subjectId = await (async () => {
      const { status, body } = await audit('/v1/audit/subjects', {
        identifier: `${IDENTIFIER.system}|${IDENTIFIER.value}`,
      });
      expect(status).toBe(200);
      return body.subjectId as string;
    })();
    await step('redirected', () =>
      send(
        SOCIAL,
        commandFrom(SOCIAL, 'referral.redirect.v1', r1, {
          referralId: r1,
          to: POLICE,
          reason: 'Police already hold a youth-justice file on the family',
          newReferralId: r2,
        }),
      ),
    );
    await step('accepted', () =>
      send(
        POLICE,
        commandFrom(POLICE, 'referral.accept.v1', r2, { referralId: r2, assignee: 'PC Ravn' }),
      ),
    );
    const accepted = (await referralHistory(r2)).entries.find(
      (e) => e.type === 'referral.accepted.v1',
    );
    caseId = accepted?.data.caseId as string;
    await step('handover-proposed', () =>
      send(
        POLICE,
        commandFrom(POLICE, 'case.handover.propose.v1', caseId, {
          caseId,
          handoverId,
          to: SOCIAL,
          reason: 'Family support needed beyond the police matter',
          summary: 'Home visit done; school attendance improving',
        }),
      ),
    );
    await step('handed-over', () =>
      send(SOCIAL, commandFrom(SOCIAL, 'case.handover.accept.v1', caseId, { caseId, handoverId })),
    );
    await step('completed', () =>
      send(
        POLICE,
        commandFrom(POLICE, 'referral.complete.v1', r2, {
          referralId: r2,
          outcome: 'Case handed to social services',
          outcomeCode: 'referred-on',
        }),
      ),
    );
    await step('erased', async () => {
      const response = await backbone.http('/v1/operator/commands', DEMO_API_KEYS[OPERATOR], {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(eraseCommand(subjectId, OPERATOR)),
      });
      expect(response.status).toBe(200);
    });
  });
  afterAll(async () => {
    await backbone?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('replays the person across agencies to the exact timeline, personal data erased', async () => {
    const { status, body } = await audit(`/v1/audit/subjects/${subjectId}/history`);
    expect(status).toBe(200);
    const entries = body.entries as Entry[];
    const row = (e: Entry) => [
      e.streamId,
      e.type,
      e.actingAgency,
      e.statusAfter,
      e.responsibleAfter,
    ];
    expect(entries.map(row)).toEqual([
      [`referral-${r1}`, 'referral.made.v1', SCHOOL, 'requested', undefined],
      [`referral-${r1}`, 'referral.redirected.v1', SOCIAL, 'redirected', undefined],
      [`referral-${r2}`, 'referral.made.v1', SOCIAL, 'requested', undefined],
      [`referral-${r2}`, 'referral.accepted.v1', POLICE, 'accepted', undefined],
      [`case-${caseId}`, 'case.opened.v1', POLICE, 'open', POLICE],
      [`case-${caseId}`, 'case.handover-proposed.v1', POLICE, 'open', POLICE],
      [`case-${caseId}`, 'case.handover-accepted.v1', SOCIAL, 'open', POLICE],
      [`case-${caseId}`, 'case.handover-completed.v1', SOCIAL, 'open', SOCIAL],
      [`referral-${r2}`, 'referral.completed.v1', POLICE, 'completed', undefined],
      [`subject-${subjectId}`, 'subject.erased.v1', OPERATOR, undefined, undefined],
    ]);
    const recorded = entries.map((e) => e.recordedAt);
    expect([...recorded].sort()).toEqual(recorded);
    expect(entries[0]).toMatchObject({
      lawfulBasis: { basis: 'public-task' },
      actor: '[erased]',
      data: { reason: '[erased]', subject: '[erased]', subjectId, to: SOCIAL },
    });
    expect(entries[4].lawfulBasis).toEqual({ basis: 'public-task' });
    expect(entries[3].data).toMatchObject({ assignee: '[erased]', caseId });
    expect(body).toMatchObject({
      erased: { by: OPERATOR },
      referrals: [
        { referralId: r1, status: 'redirected', from: SCHOOL, to: SOCIAL },
        // A redirected referral stays the referrer's; the redirecting agency is on record.
        { referralId: r2, status: 'completed', from: SCHOOL, to: POLICE, caseId },
      ],
      cases: [{ caseId, responsible: SOCIAL, previouslyResponsible: [POLICE], status: 'open' }],
      unreadable: [],
    });
  });

  it('gives, as of each step, the statuses and responsibility that held then', async () => {
    const statusOf = async (id: string, asOf: string) =>
      (await referralHistory(id, asOf)).state?.status;
    expect(await statusOf(r1, after.start)).toBeUndefined();
    expect((await referralHistory(r1, after.start)).entries).toEqual([]);
    expect(await statusOf(r1, after.made)).toBe('requested');
    expect(await statusOf(r1, after.redirected)).toBe('redirected');
    expect(await statusOf(r2, after.redirected)).toBe('requested');
    expect(await statusOf(r2, after.accepted)).toBe('accepted');
    expect(await statusOf(r2, after['handed-over'])).toBe('accepted');
    expect(await statusOf(r2, after.completed)).toBe('completed');

    const subjectAt = async (asOf: string) =>
      (await audit(`/v1/audit/subjects/${subjectId}/history`, { asOf })).body as {
        entries: Entry[];
        cases: { responsible: string; handover?: { status: string } }[];
        erased: unknown;
      };
    const proposed = await subjectAt(after['handover-proposed']);
    expect(proposed.cases).toMatchObject([
      { responsible: POLICE, handover: { status: 'proposed' } },
    ]);
    expect(proposed.entries).toHaveLength(6);
    const handedOver = await subjectAt(after['handed-over']);
    expect(handedOver.cases).toEqual([expect.objectContaining({ responsible: SOCIAL })]);
    expect(handedOver.cases[0].handover).toBeUndefined();
    expect((await subjectAt(after.completed)).erased).toBeNull();
    expect((await subjectAt(after.erased)).erased).toMatchObject({ by: OPERATOR });
  });

  it('no longer finds the person by their identifier once erased', async () => {
    const { status } = await audit('/v1/audit/subjects', {
      identifier: `${IDENTIFIER.system}|${IDENTIFIER.value}`,
    });
    expect(status).toBe(404);
  });

  it('prints a referral timeline as a table in the terminal', async () => {
    const out = capture();
    const err = capture();
    const argv = ['history', r2, '--purpose', PURPOSE, '--url', backbone.baseUrl];
    const code = await runAuditCommand(
      argv,
      { AUDIT_API_KEY: DEMO_API_KEYS[AUDITOR] },
      { out, err },
    );
    expect([code, err.text()]).toEqual([0, '']);
    const lines = out.text().split('\n');
    expect(lines[0]).toContain(`Referral ${r2}`);
    expect(lines[0]).toContain(`completed: ${SCHOOL} → ${POLICE}`);
    const rows = lines.filter((line) => /^\d+ /.test(line));
    expect(rows.map((line) => line.split(/\s{2,}/).slice(2, 4))).toEqual([
      ['referral.made.v1', SOCIAL],
      ['referral.accepted.v1', POLICE],
      ['referral.completed.v1', POLICE],
    ]);
    expect(rows[0]).toMatch(/reason="?\[erased\]/);

    const asOf = capture();
    const early = [
      'history',
      r2,
      '--as-of',
      after.redirected,
      '--purpose',
      PURPOSE,
      '--url',
      backbone.baseUrl,
    ];
    await runAuditCommand(early, { AUDIT_API_KEY: DEMO_API_KEYS[AUDITOR] }, { out: asOf, err });
    expect(asOf.text()).toContain(`as of ${after.redirected} — requested`);
    expect(
      asOf
        .text()
        .split('\n')
        .filter((line) => /^\d+ /.test(line)),
    ).toHaveLength(1);
  });

  it('exports a signed bundle that checks offline, and fails the check once changed', async () => {
    const { status, body } = await audit(`/v1/audit/referrals/${r2}/export`);
    expect(status).toBe(200);
    const bundle = body as {
      content: { streams: { streamId: string; events: { metadata: Record<string, unknown> }[] }[] };
      signature: { kid: string };
    };
    expect(bundle.content.streams.map((s) => [s.streamId, s.events.length])).toEqual([
      [`referral-${r2}`, 3],
      [`case-${caseId}`, 4],
    ]);
    const keys = await (await fetch(`${backbone.baseUrl}/v1/signing-keys`)).json();
    expect(keys).toEqual({
      keys: [expect.objectContaining({ kid: bundle.signature.kid, crv: 'Ed25519' })],
    });
    const file = join(dir, `bundle-${r2}.json`);
    const keyFile = join(dir, `signing-keys-${r2}.json`);
    writeFileSync(file, JSON.stringify(bundle, null, 2));
    writeFileSync(keyFile, JSON.stringify(keys));
    const check = (path: string) =>
      runCheckExport([path, '--public-key', keyFile], { out: capture(), err: capture() });
    expect(check(file)).toBe(0);

    const changed = join(dir, `bundle-${r2}-changed.json`);
    writeFileSync(
      changed,
      readFileSync(file, 'utf8').replace(
        `"actingAgency": "${POLICE}"`,
        `"actingAgency": "${SCHOOL}"`,
      ),
    );
    expect(readFileSync(changed, 'utf8')).not.toEqual(readFileSync(file, 'utf8'));
    expect(check(changed)).toBe(1);
  });

  it('reports a field changed in SQL at its position, and the export then records the broken chain', async () => {
    const clean = await audit(`/v1/audit/streams/referral-${r2}/verify`);
    expect(clean).toEqual({ status: 200, body: { valid: true, events: 3 } });
    const client = new Client({ connectionString: backbone.config.databaseUrl });
    await client.connect();
    try {
      await client.query(
        `UPDATE events SET metadata = json_build_object('actingAgency', 'randers-school')
         WHERE stream_id = $1 AND stream_version = 2`,
        [`referral-${r2}`],
      );
    } finally {
      await client.end();
    }
    const tampered = await audit(`/v1/audit/streams/referral-${r2}/verify`);
    expect(tampered).toMatchObject({
      status: 200,
      body: { valid: false, events: 3, firstBrokenAt: 2 },
    });
    const { body } = await audit(`/v1/audit/referrals/${r2}/export`);
    const file = join(dir, `bundle-${r2}-tampered-store.json`);
    writeFileSync(file, JSON.stringify(body));
    expect(runCheckExport([file], { out: capture(), err: capture() })).toBe(2);
  });
});
