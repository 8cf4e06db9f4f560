// Agencies see only their own (DESIGN invariant 6): every query endpoint, called with every
// other demo agency's key, answers 403 or 404 and carries none of the data.
import { randomUUID } from 'node:crypto';
import { DEMO_API_KEYS } from '@backbone/directory';
import { BackboneUnderTest } from '../support/backbone-under-test';
import { eventually } from '../support/eventually';
import { commandFrom, makeReferralCommand } from '../support/referral-commands';

const SCHOOL = 'randers-school';
const SOCIAL = 'randers-social';
const AGENCIES = Object.keys(DEMO_API_KEYS).filter((id) => !id.startsWith('demo-'));

describe('agency isolation in the query API', () => {
  let backbone: BackboneUnderTest;
  let referralId: string;
  let caseId: string;

  beforeAll(async () => {
    backbone = await BackboneUnderTest.start(() => []);
    const make = makeReferralCommand(SCHOOL, SOCIAL);
    referralId = make.subject;
    const post = (agency: string, command: object) =>
      backbone.http('/v1/commands', DEMO_API_KEYS[agency], {
        method: 'POST',
        body: JSON.stringify(command),
      });
    expect((await post(SCHOOL, make)).status).toBe(200);
    expect(
      (await post(SOCIAL, commandFrom(SOCIAL, 'referral.accept.v1', referralId, { referralId })))
        .status,
    ).toBe(200);
    caseId = await eventually(async () => {
      const response = await backbone.http(`/v1/referrals/${referralId}`, DEMO_API_KEYS[SCHOOL]);
      const body = (await response.json()) as { caseId?: string };
      return body.caseId;
    }, 'the accepted referral in the read model');
    await eventually(async () => {
      const response = await backbone.http(`/v1/agencies/${SOCIAL}/cases`, DEMO_API_KEYS[SOCIAL]);
      const { items } = (await response.json()) as { items: unknown[] };
      return items.length ? true : undefined;
    }, 'the case in the read model');
  });
  afterAll(async () => {
    await backbone?.stop();
  });

  const ownedBy: [string, string][] = [
    [SOCIAL, `/v1/agencies/${SOCIAL}/inbox`],
    [SCHOOL, `/v1/agencies/${SCHOOL}/outbox`],
    [SOCIAL, `/v1/agencies/${SOCIAL}/cases`],
    [SOCIAL, `/v1/agencies/${SOCIAL}/statistics`],
  ];

  it('refuses every other agency every list, with no data in the answer', async () => {
    for (const [owner, path] of ownedBy) {
      for (const agency of AGENCIES.filter((id) => id !== owner)) {
        const response = await backbone.http(path, DEMO_API_KEYS[agency]);
        expect([path, agency, response.status]).toEqual([path, agency, 403]);
        const text = await response.text();
        expect(text).not.toContain(referralId);
        expect(text).not.toContain(caseId);
        expect(text).not.toMatch(/"items"|ByStatus/);
      }
    }
  });

  it('answers 404 for the referral to every agency that is not a party, and 200 to both parties', async () => {
    for (const agency of AGENCIES) {
      const response = await backbone.http(`/v1/referrals/${referralId}`, DEMO_API_KEYS[agency]);
      const party = agency === SCHOOL || agency === SOCIAL;
      expect([agency, response.status]).toEqual([agency, party ? 200 : 404]);
      if (!party) expect(await response.text()).not.toContain(SCHOOL);
    }
    const unknown = await backbone.http(
      `/v1/referrals/${randomUUID()}`,
      DEMO_API_KEYS['east-jutland-police'],
    );
    expect(unknown.status).toBe(404);
  });

  it('lists no case to the referrer, which is not responsible for it', async () => {
    const response = await backbone.http(`/v1/agencies/${SCHOOL}/cases`, DEMO_API_KEYS[SCHOOL]);
    expect(await response.json()).toEqual({ items: [] });
  });
});
