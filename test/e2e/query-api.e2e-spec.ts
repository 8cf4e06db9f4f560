// The per-agency query API: own lists only, stable keyset paging while referrals keep
// arriving, status filters, cases with their handovers, and no leaking of others' referrals.
import { randomUUID } from 'node:crypto';
import { DEMO_API_KEYS } from '@backbone/directory';
import { BackboneUnderTest } from '../support/backbone-under-test';
import { eventually } from '../support/eventually';
import { commandFrom, makeReferralCommand } from '../support/referral-commands';

const SCHOOL = 'randers-school';
const SOCIAL = 'randers-social';
const POLICE = 'east-jutland-police';

type Listed = { referralId: string; status: string; caseId?: string };

describe('query API', () => {
  let backbone: BackboneUnderTest;
  const made: string[] = [];

  beforeAll(async () => {
    backbone = await BackboneUnderTest.start(() => []);
    for (let i = 0; i < 5; i++) made.push(await makeReferral());
    await eventually(
      async () => ((await list(SOCIAL, 'inbox')).items.length === 5 ? true : undefined),
      'five referrals in the inbox',
    );
  });
  afterAll(async () => {
    await backbone?.stop();
  });

  const get = async (path: string, agency: string) => {
    const response = await backbone.http(path, DEMO_API_KEYS[agency]);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const list = async (agency: string, box: string, query = '') =>
    (await get(`/v1/agencies/${agency}/${box}${query}`, agency)).body as {
      items: Listed[];
      nextPage?: string;
    };
  const send = async (agency: string, command: object) => {
    const response = await backbone.http('/v1/commands', DEMO_API_KEYS[agency], {
      method: 'POST',
      body: JSON.stringify(command),
    });
    expect(response.status).toBe(200);
  };
  async function makeReferral(): Promise<string> {
    const command = makeReferralCommand(SCHOOL, SOCIAL);
    await send(SCHOOL, command);
    return command.subject;
  }

  it('pages newest first, and a referral arriving meanwhile neither repeats nor skips a row', async () => {
    const first = await list(SOCIAL, 'inbox', '?limit=2');
    expect(first.items).toHaveLength(2);
    const newcomer = await makeReferral();
    await eventually(
      async () =>
        (await list(SOCIAL, 'inbox')).items.some((i) => i.referralId === newcomer)
          ? true
          : undefined,
      'the newcomer',
    );
    const second = await list(SOCIAL, 'inbox', `?limit=2&page=${first.nextPage}`);
    const third = await list(SOCIAL, 'inbox', `?limit=2&page=${second.nextPage}`);
    expect(third.nextPage).toBeUndefined();
    const seen = [...first.items, ...second.items, ...third.items].map((i) => i.referralId);
    expect(seen.sort()).toEqual([...made].sort());
    expect((await list(SOCIAL, 'inbox')).items[0].referralId).toBe(newcomer);
  });

  it('shows the referrer its outbox with current statuses, filtered by status', async () => {
    await send(SOCIAL, commandFrom(SOCIAL, 'referral.accept.v1', made[0], { referralId: made[0] }));
    const accepted = await eventually(async () => {
      const outbox = await list(SCHOOL, 'outbox', '?status=accepted');
      return outbox.items.length === 1 ? outbox.items[0] : undefined;
    }, 'the accepted referral in the outbox');
    expect(accepted).toMatchObject({
      referralId: made[0],
      status: 'accepted',
      caseId: expect.any(String),
    });
    expect((await get(`/v1/agencies/${SCHOOL}/outbox?status=lost`, SCHOOL)).status).toBe(400);
    const statistics = await eventually(async () => {
      const { body } = await get(`/v1/agencies/${SOCIAL}/statistics`, SOCIAL);
      return (body as { decided: number }).decided === 1 ? body : undefined;
    }, 'the decision in the statistics');
    expect(statistics).toMatchObject({
      inboxByStatus: { accepted: 1 },
      medianSecondsToDecision: expect.any(Number),
    });
    const byOperator = await backbone.http(
      `/v1/agencies/${SCHOOL}/statistics`,
      DEMO_API_KEYS['demo-ops-team'],
    );
    expect(await byOperator.json()).toMatchObject({ outboxByStatus: { accepted: 1 } });
    expect((await get(`/v1/agencies/${SCHOOL}/statistics`, SOCIAL)).status).toBe(403);
  });

  it('lists the cases an agency is responsible for, with the handover in flight both ways', async () => {
    const { caseId } = (await get(`/v1/referrals/${made[0]}`, SOCIAL)).body as { caseId: string };
    const handoverId = randomUUID();
    await send(
      SOCIAL,
      commandFrom(SOCIAL, 'case.handover.propose.v1', caseId, {
        caseId,
        handoverId,
        to: POLICE,
        reason: 'r',
        summary: 's',
      }),
    );
    const out = await eventually(async () => {
      const { items } = (await get(`/v1/agencies/${SOCIAL}/cases`, SOCIAL)).body as {
        items: { caseId: string; pendingHandover?: object }[];
      };
      return items.find((c) => c.caseId === caseId && c.pendingHandover);
    }, 'the case with its handover');
    expect(out).toMatchObject({
      responsible: SOCIAL,
      pendingHandover: { handoverId, direction: 'out', to: POLICE, status: 'proposed' },
    });
    const incoming = (await get(`/v1/agencies/${POLICE}/cases`, POLICE)).body as {
      items: object[];
    };
    expect(incoming.items).toEqual([
      expect.objectContaining({
        caseId,
        pendingHandover: expect.objectContaining({ direction: 'in' }),
      }),
    ]);
  });

  it('shows a referral to its parties only, and another agency’s lists to no one else', async () => {
    expect((await get(`/v1/referrals/${made[1]}`, SCHOOL)).status).toBe(200);
    expect((await get(`/v1/referrals/${made[1]}`, SOCIAL)).status).toBe(200);
    expect((await get(`/v1/referrals/${made[1]}`, POLICE)).status).toBe(404);
    expect((await get(`/v1/referrals/${randomUUID()}`, SCHOOL)).status).toBe(404);
    expect((await get(`/v1/agencies/${SOCIAL}/inbox`, POLICE)).status).toBe(403);
    expect((await get(`/v1/agencies/${SCHOOL}/outbox`, SOCIAL)).status).toBe(403);
    expect((await get(`/v1/agencies/${SOCIAL}/cases`, SCHOOL)).status).toBe(403);
    expect((await get(`/v1/agencies/${SOCIAL}/inbox?page=garbage`, SOCIAL)).status).toBe(400);
    const auditor = await backbone.http(
      `/v1/agencies/${SOCIAL}/inbox`,
      DEMO_API_KEYS['demo-audit-office'],
    );
    expect(auditor.status).toBe(403);
  });
});
