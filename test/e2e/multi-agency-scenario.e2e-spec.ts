// A scripted day between the demo directory's agencies, driven only as their systems would
// drive the backbone: commands on their Kafka command topics (answers read from their outcome
// topics) and over HTTP. A referral runs from request to completion, one is rejected, one is
// redirected to a better-placed agency, and a case is handed over. Then every agency's inbox,
// outbox and cases, and each referral, show exactly what they should, and nothing else.
import { randomUUID } from 'node:crypto';
import { DEMO_API_KEYS } from '@backbone/directory';
import { BackboneUnderTest } from '../support/backbone-under-test';
import { eventually } from '../support/eventually';
import { commandFrom, makeReferralCommand } from '../support/referral-commands';

const SCHOOL = 'randers-school';
const SOCIAL = 'randers-social';
const POLICE = 'east-jutland-police';
const GP = 'redbridge-gp-team';
const ADULT_CARE = 'redbridge-adult-social-care';
const JOBCENTRE = 'ilford-jobcentre';
const DEBT_ADVICE = 'redbridge-debt-advice';
const HOUSING = 'redbridge-housing';
const AGENCIES = Object.keys(DEMO_API_KEYS).filter((id) => !id.startsWith('demo-'));
/** The agencies that send commands over Kafka; the rest use HTTP. */
const OVER_KAFKA = [SCHOOL, SOCIAL, JOBCENTRE, HOUSING];

type Command = ReturnType<typeof commandFrom>;
interface Listed {
  referralId: string;
  from: string;
  to: string;
  status: string;
  caseId?: string;
  redirectedFrom?: string;
}
interface CaseListed {
  caseId: string;
  responsible: string;
  status: string;
  fromReferralId?: string;
  pendingHandover?: { handoverId: string; direction: string; to: string; status: string };
}

describe('a day between agencies, as their systems see it', () => {
  let backbone: BackboneUnderTest;

  beforeAll(async () => {
    backbone = await BackboneUnderTest.start((topics) =>
      OVER_KAFKA.map((agency) => topics.outcomes(agency)),
    );
  });
  afterAll(async () => {
    await backbone?.stop();
  });

  /** Sends a command in the agency's name, over its channel, and expects it accepted. */
  async function send(agency: string, command: Command): Promise<void> {
    if (!OVER_KAFKA.includes(agency)) {
      const response = await backbone.http('/v1/commands', DEMO_API_KEYS[agency], {
        method: 'POST',
        body: JSON.stringify(command),
      });
      const outcome = (await response.json()) as { type?: string };
      expect([command.type, response.status, outcome.type]).toEqual([
        command.type,
        200,
        'command.accepted',
      ]);
      return;
    }
    await backbone.sendCommand(agency, JSON.stringify(command), command.subject);
    const outcome = await backbone.watcher.waitFor(
      (r) => r.topic === backbone.topics.outcomes(agency) && r.json?.causationid === command.id,
      `the outcome of ${command.type} from ${agency}`,
    );
    expect([command.type, outcome.json?.type]).toEqual([command.type, 'command.accepted']);
  }

  const get = async <T>(agency: string, path: string): Promise<{ status: number; body: T }> => {
    const response = await backbone.http(path, DEMO_API_KEYS[agency]);
    return { status: response.status, body: (await response.json()) as T };
  };
  const referrals = async (agency: string, box: 'inbox' | 'outbox') =>
    (await get<{ items: Listed[] }>(agency, `/v1/agencies/${agency}/${box}`)).body.items.map(
      ({ referralId, from, to, status, caseId, redirectedFrom }) => ({
        referralId,
        from,
        to,
        status,
        ...(caseId ? { caseId } : {}),
        ...(redirectedFrom ? { redirectedFrom } : {}),
      }),
    );
  const cases = async (agency: string) =>
    (await get<{ items: CaseListed[] }>(agency, `/v1/agencies/${agency}/cases`)).body.items.map(
      ({ caseId, responsible, status, fromReferralId, pendingHandover }) => ({
        caseId,
        responsible,
        status,
        fromReferralId,
        ...(pendingHandover
          ? {
              pendingHandover: {
                handoverId: pendingHandover.handoverId,
                direction: pendingHandover.direction,
                to: pendingHandover.to,
                status: pendingHandover.status,
              },
            }
          : {}),
      }),
    );

  /** Waits until `read` gives `expected` (read models follow the store), then asserts it. */
  async function settles<T>(read: () => Promise<T>, expected: T, what: string): Promise<void> {
    let last: T | undefined;
    await eventually(
      async () => {
        last = await read();
        return JSON.stringify(last) === JSON.stringify(expected) ? true : undefined;
      },
      what,
      30_000,
    ).catch(() => undefined);
    expect([what, last]).toEqual([what, expected]);
  }

  const make = (from: string, to: string, category: string) => {
    const command = makeReferralCommand(from, to);
    command.data.category = category;
    return command;
  };
  const by = (agency: string, type: string, referralId: string, data: object = {}) =>
    commandFrom(agency, type, referralId, { referralId, ...data });

  it('shows each agency exactly its own referrals and cases, as they stand', async () => {
    // 1. The school refers a child to social services, who work it through to completion.
    const neglect = make(SCHOOL, SOCIAL, 'child-social-care');
    const r1 = neglect.subject;
    await send(SCHOOL, neglect);
    await send(SOCIAL, by(SOCIAL, 'referral.acknowledge.v1', r1));
    await send(SOCIAL, by(SOCIAL, 'referral.accept.v1', r1, { assignee: 'Family team' }));
    await send(SOCIAL, by(SOCIAL, 'referral.note.v1', r1, { text: 'Home visit on Tuesday.' }));
    await send(
      SOCIAL,
      by(SOCIAL, 'referral.complete.v1', r1, {
        outcome: 'Family support plan in place',
        outcomeCode: 'service-provided',
      }),
    );

    // 2. The jobcentre refers someone for debt advice, which the debt team rejects.
    const debts = make(JOBCENTRE, DEBT_ADVICE, 'debt-advice');
    const r2 = debts.subject;
    await send(JOBCENTRE, debts);
    await send(
      DEBT_ADVICE,
      by(DEBT_ADVICE, 'referral.reject.v1', r2, { reason: 'Already a client' }),
    );

    // 3. The police raise a safeguarding concern with social services, who redirect it.
    const concern = make(POLICE, SOCIAL, 'safeguarding');
    const r3 = concern.subject;
    const r4 = randomUUID();
    await send(POLICE, concern);
    await send(
      SOCIAL,
      by(SOCIAL, 'referral.redirect.v1', r3, {
        to: ADULT_CARE,
        reason: 'The person is an adult',
        newReferralId: r4,
      }),
    );

    // 4. The GP refers a patient to adult social care, which accepts and hands the case over.
    const discharge = make(GP, ADULT_CARE, 'adult-social-care');
    const r5 = discharge.subject;
    await send(GP, discharge);
    await send(ADULT_CARE, by(ADULT_CARE, 'referral.accept.v1', r5));

    const caseOf = (referralId: string, agency: string) =>
      eventually(
        async () => (await get<Listed>(agency, `/v1/referrals/${referralId}`)).body.caseId,
        `the case of ${referralId}`,
      );
    const c1 = await caseOf(r1, SOCIAL);
    const c2 = await caseOf(r5, ADULT_CARE);
    const handoverId = randomUUID();
    await send(
      ADULT_CARE,
      commandFrom(ADULT_CARE, 'case.handover.propose.v1', c2, {
        caseId: c2,
        handoverId,
        to: HOUSING,
        reason: 'Needs supported housing first',
        summary: 'Discharged; mobility limited',
      }),
    );
    // While proposed, the sender stays responsible and the receiver sees it coming.
    const c2Proposed = {
      caseId: c2,
      responsible: ADULT_CARE,
      status: 'open',
      fromReferralId: r5,
    };
    await settles(
      () => cases(ADULT_CARE),
      [
        {
          ...c2Proposed,
          pendingHandover: { handoverId, direction: 'out', to: HOUSING, status: 'proposed' },
        },
      ],
      'adult care: the case with its handover going out',
    );
    await settles(
      () => cases(HOUSING),
      [
        {
          ...c2Proposed,
          pendingHandover: { handoverId, direction: 'in', to: HOUSING, status: 'proposed' },
        },
      ],
      'housing: the case coming in',
    );
    await send(
      HOUSING,
      commandFrom(HOUSING, 'case.handover.accept.v1', c2, { caseId: c2, handoverId }),
    );

    // What every agency now sees. Lists are newest first.
    const referral1 = { referralId: r1, from: SCHOOL, to: SOCIAL, status: 'completed', caseId: c1 };
    const referral2 = { referralId: r2, from: JOBCENTRE, to: DEBT_ADVICE, status: 'rejected' };
    const referral3 = { referralId: r3, from: POLICE, to: SOCIAL, status: 'redirected' };
    const referral4 = {
      referralId: r4,
      from: POLICE,
      to: ADULT_CARE,
      status: 'requested',
      redirectedFrom: r3,
    };
    const referral5 = { referralId: r5, from: GP, to: ADULT_CARE, status: 'accepted', caseId: c2 };
    const expected: Record<string, { inbox: object[]; outbox: object[]; cases: object[] }> = {
      [SCHOOL]: { inbox: [], outbox: [referral1], cases: [] },
      [SOCIAL]: {
        inbox: [referral3, referral1],
        outbox: [],
        cases: [{ caseId: c1, responsible: SOCIAL, status: 'open', fromReferralId: r1 }],
      },
      [POLICE]: { inbox: [], outbox: [referral4, referral3], cases: [] },
      [JOBCENTRE]: { inbox: [], outbox: [referral2], cases: [] },
      [DEBT_ADVICE]: { inbox: [referral2], outbox: [], cases: [] },
      [GP]: { inbox: [], outbox: [referral5], cases: [] },
      [ADULT_CARE]: { inbox: [referral5, referral4], outbox: [], cases: [] },
      [HOUSING]: {
        inbox: [],
        outbox: [],
        cases: [{ caseId: c2, responsible: HOUSING, status: 'open', fromReferralId: r5 }],
      },
    };
    for (const agency of AGENCIES) {
      const own = expected[agency] ?? { inbox: [], outbox: [], cases: [] };
      await settles(() => referrals(agency, 'inbox'), own.inbox, `${agency} inbox`);
      await settles(() => referrals(agency, 'outbox'), own.outbox, `${agency} outbox`);
      await settles(() => cases(agency), own.cases, `${agency} cases`);
    }

    // Each referral, to its two parties as it stands, and to no one else.
    const all = [referral1, referral2, referral3, referral4, referral5];
    for (const referral of all) {
      for (const agency of AGENCIES) {
        const { status, body } = await get<Listed>(agency, `/v1/referrals/${referral.referralId}`);
        const party = agency === referral.from || agency === referral.to;
        expect([referral.referralId, agency, status]).toEqual([
          referral.referralId,
          agency,
          party ? 200 : 404,
        ]);
        if (party) expect(body).toMatchObject(referral);
        else expect(JSON.stringify(body)).not.toContain(referral.from);
      }
    }
    // Another agency's lists are refused outright.
    for (const agency of AGENCIES) {
      const other = AGENCIES.find((id) => id !== agency) as string;
      for (const list of ['inbox', 'outbox', 'cases'])
        expect((await get(agency, `/v1/agencies/${other}/${list}`)).status).toBe(403);
    }
  });
});
