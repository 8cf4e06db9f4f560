// The directors' agenda over HTTP, from referrals and cases moved through the public interface:
// a Randers referral redirected twice and not yet kept is on Randers' agenda, a Redbridge case
// closed after its handover was declined on Redbridge's, each director sees nothing of the
// other's, nothing from the person appears, and no one but a director reads it. (Overdue
// decisions and waiting handovers need deadlines and days to pass: agenda.int-spec.ts.)
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
const HOUSING = 'redbridge-housing';
const RANDERS_DIRECTOR = DEMO_API_KEYS['demo-randers-director'];
const REDBRIDGE_DIRECTOR = DEMO_API_KEYS['demo-redbridge-director'];

type Json = Record<string, unknown>;
interface AgendaJson {
  director: string;
  agencies: string[];
  handoverDays: number;
  items: Record<string, Json[]>;
  cut: Record<string, boolean>;
}

describe('the directors’ agenda', () => {
  let backbone: BackboneUnderTest;
  /** The Randers chain: school to social, redirected to the police, redirected back to social. */
  const chain: string[] = [];
  let closedCase: string;
  /** Free text sent with the commands: none of it may appear on the agenda. */
  const FREE_TEXT = ['Better placed to act', 'No capacity this month', 'Closed: moved away'];

  const send = async (agency: string, command: object): Promise<void> => {
    const response = await backbone.http('/v1/commands', DEMO_API_KEYS[agency], {
      method: 'POST',
      body: JSON.stringify(command),
    });
    expect([agency, response.status, await response.text()]).toEqual([
      agency,
      200,
      expect.any(String),
    ]);
  };

  beforeAll(async () => {
    backbone = await BackboneUnderTest.start(() => []);
    const make = makeReferralCommand(SCHOOL, SOCIAL);
    make.data.category = 'safeguarding';
    await send(SCHOOL, make);
    chain.push(make.subject);
    for (const [by, to] of [
      [SOCIAL, POLICE],
      [POLICE, SOCIAL],
    ]) {
      const referralId = chain[chain.length - 1];
      const newReferralId = randomUUID();
      await send(
        by,
        commandFrom(by, 'referral.redirect.v1', referralId, {
          referralId,
          to,
          newReferralId,
          reason: FREE_TEXT[0],
          reasonCode: 'wrong-service',
        }),
      );
      chain.push(newReferralId);
    }

    // Redbridge: adult care accepts a referral, proposes a handover to housing, housing
    // declines, and adult care closes the case.
    const referral = makeReferralCommand(GP, ADULT_CARE);
    referral.data.category = 'adult-social-care';
    await send(GP, referral);
    const referralId = referral.subject;
    await send(
      ADULT_CARE,
      commandFrom(ADULT_CARE, 'referral.accept.v1', referralId, { referralId }),
    );
    closedCase = await eventually(async () => {
      const response = await backbone.http(
        `/v1/referrals/${referralId}`,
        DEMO_API_KEYS[ADULT_CARE],
      );
      return ((await response.json()) as { caseId?: string }).caseId;
    }, 'the case of the accepted referral');
    const handoverId = randomUUID();
    const caseCommand = (agency: string, type: string, data: object) =>
      send(agency, commandFrom(agency, type, closedCase, { caseId: closedCase, ...data }));
    await caseCommand(ADULT_CARE, 'case.handover.propose.v1', {
      handoverId,
      to: HOUSING,
      reason: 'Needs housing support',
      summary: 'Summary of the case',
    });
    await caseCommand(HOUSING, 'case.handover.decline.v1', { handoverId, reason: FREE_TEXT[1] });
    await caseCommand(ADULT_CARE, 'case.close.v1', { reason: FREE_TEXT[2] });
  });
  afterAll(async () => {
    await backbone?.stop();
  });

  const agenda = (key: string, query = '', accept = 'application/json') =>
    backbone.http(`/v1/insights/agenda${query}`, key, { headers: { accept } });
  const agendaOf = async (key: string): Promise<AgendaJson> => {
    const response = await agenda(key);
    expect(response.status).toBe(200);
    return (await response.json()) as AgendaJson;
  };

  it('puts a referral redirected twice and not yet kept on Randers’ agenda', async () => {
    const answer = await eventually(async () => {
      const a = await agendaOf(RANDERS_DIRECTOR);
      return a.items.redirectChains.length ? a : undefined;
    }, 'the redirect chain on the agenda');
    expect(answer).toMatchObject({
      director: 'demo-randers-director',
      agencies: [SCHOOL, SOCIAL, POLICE],
      handoverDays: 14,
      cut: {
        redirectChains: false,
        overdueDecisions: false,
        waitingHandovers: false,
        closedAfterDecline: false,
      },
    });
    expect(answer.items.redirectChains).toEqual([
      {
        rootReferralId: chain[0],
        latestReferralId: chain[2],
        agencies: [SCHOOL, SOCIAL, POLICE, SOCIAL],
        redirects: 2,
        latestStatus: 'requested',
        since: expect.any(String),
        days: 0,
      },
    ]);
    expect(answer.items.closedAfterDecline).toEqual([]);
    expect(JSON.stringify(answer)).not.toMatch(/redbridge|ilford/);
  });

  it('puts a case closed after its handover was declined on Redbridge’s agenda only', async () => {
    const answer = await eventually(async () => {
      const a = await agendaOf(REDBRIDGE_DIRECTOR);
      return a.items.closedAfterDecline.length ? a : undefined;
    }, 'the closed case on the agenda');
    expect(answer.items.closedAfterDecline).toEqual([
      {
        caseId: closedCase,
        closedBy: ADULT_CARE,
        declinedBy: HOUSING,
        declinedAt: expect.any(String),
        closedAt: expect.any(String),
        daysSinceClosed: 0,
      },
    ]);
    expect(answer.items.redirectChains).toEqual([]);
    expect(JSON.stringify(answer)).not.toMatch(/randers|east-jutland/);
    const randers = await agendaOf(RANDERS_DIRECTOR);
    expect(JSON.stringify(randers)).not.toContain(closedCase);
  });

  it('shows nothing from the person: no names, identifiers or free text', async () => {
    const text = JSON.stringify([
      await agendaOf(RANDERS_DIRECTOR),
      await agendaOf(REDBRIDGE_DIRECTOR),
    ]);
    for (const personal of ['Freja', 'Nielsen', '0101125678', '2012-01-01', ...FREE_TEXT])
      expect(text).not.toContain(personal);
  });

  it('lets the involved agencies open what it lists from their own views, and no one else', async () => {
    const opened = async (agency: string) =>
      (await backbone.http(`/v1/referrals/${chain[2]}`, DEMO_API_KEYS[agency])).status;
    expect(await opened(SOCIAL)).toBe(200);
    expect(await opened(SCHOOL)).toBe(200);
    expect(await opened(GP)).toBe(404);
    const cases = await backbone.http(
      `/v1/agencies/${ADULT_CARE}/cases?status=closed`,
      DEMO_API_KEYS[ADULT_CARE],
    );
    const { items } = (await cases.json()) as { items: { caseId: string }[] };
    expect(items.map((item) => item.caseId)).toContain(closedCase);
  });

  it('answers CSV with a kind column to a director who asks for it', async () => {
    const response = await agenda(RANDERS_DIRECTOR, '', 'text/csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const [header, row, end] = (await response.text()).split('\r\n');
    expect(header).toBe(
      'kind,referral_id,case_id,root_referral_id,agencies,from_agency,to_agency,status,redirects,since,days,declined_at',
    );
    expect(row).toMatch(
      new RegExp(
        `^redirect-chain,${chain[2]},,${chain[0]},${SCHOOL} > ${SOCIAL} > ${POLICE} > ${SOCIAL},${SCHOOL},${SOCIAL},requested,2,[^,]+,0,$`,
      ),
    );
    expect(end).toBe('');
  });

  it('takes handoverDays from 1 to 365 and refuses anything else with a 400', async () => {
    const ok = await agenda(RANDERS_DIRECTOR, '?handoverDays=1');
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as AgendaJson).handoverDays).toBe(1);
    for (const query of [
      '?handoverDays=0',
      '?handoverDays=366',
      '?handoverDays=abc',
      '?handoverDays=1.5',
      '?handoverDays=1&handoverDays=2',
      '?handoverDays=%00',
    ]) {
      const response = await agenda(RANDERS_DIRECTOR, query);
      expect([query, response.status]).toEqual([query, 400]);
    }
  });

  it('is for directors only', async () => {
    for (const agency of [SCHOOL, ADULT_CARE, 'demo-audit-office', 'demo-ops-team'])
      expect([agency, (await agenda(DEMO_API_KEYS[agency])).status]).toEqual([agency, 403]);
    expect((await agenda('not-a-key')).status).toBe(401);
  });
});
