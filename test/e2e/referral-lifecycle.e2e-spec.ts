// A hospital-to-social-care story through the public interfaces: a referral is made,
// acknowledged and accepted (which opens the receiver's case), then the case is handed over
// to housing; each party hears exactly what concerns it, and responsibility moves only at
// the handover's completion.
import { randomUUID } from 'node:crypto';
import { DEMO_API_KEYS } from '@backbone/directory';
import { BackboneUnderTest } from '../support/backbone-under-test';
import { eventually } from '../support/eventually';
import { commandFrom, makeReferralCommand } from '../support/referral-commands';
import { WatchedRecord } from '../support/topic-watcher';

const GP = 'redbridge-gp-team';
const SOCIAL = 'redbridge-adult-social-care';
const HOUSING = 'redbridge-housing';

describe('referral lifecycle and case handover', () => {
  let backbone: BackboneUnderTest;

  beforeAll(async () => {
    backbone = await BackboneUnderTest.start((topics) => [
      topics.outcomes(GP),
      topics.outcomes(SOCIAL),
      topics.outcomes(HOUSING),
      topics.inbox(GP),
      topics.inbox(SOCIAL),
      topics.inbox(HOUSING),
    ]);
  });
  afterAll(async () => {
    await backbone?.stop();
  });

  /** Sends over HTTP, as the agency, and returns the outcome body. */
  const send = async (agency: string, command: object) => {
    const response = await backbone.http('/v1/commands', DEMO_API_KEYS[agency], {
      method: 'POST',
      body: JSON.stringify(command),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const inboxEvent = (agency: string, type: string, subject: string): Promise<WatchedRecord> =>
    backbone.watcher.waitFor(
      (r) =>
        r.topic === backbone.topics.inbox(agency) &&
        r.json?.type === type &&
        r.json?.subject === subject,
      `${type} on ${agency}'s inbox`,
    );
  const typesOnInbox = (agency: string, subject: string): unknown[] =>
    backbone.watcher.records
      .filter((r) => r.topic === backbone.topics.inbox(agency) && r.json?.subject === subject)
      .map((r) => r.json?.type);

  it('runs a referral from request to an accepted case, and hands the case over', async () => {
    const make = makeReferralCommand(GP, SOCIAL, {});
    make.data.category = 'adult-social-care';
    const referralId = make.subject;
    expect((await send(GP, make)).status).toBe(200);
    await inboxEvent(SOCIAL, 'referral.made.v1', referralId);

    const acknowledge = commandFrom(SOCIAL, 'referral.acknowledge.v1', referralId, { referralId });
    expect((await send(SOCIAL, acknowledge)).status).toBe(200);
    // The referrer may not accept its own referral.
    const wrongParty = await send(
      GP,
      commandFrom(GP, 'referral.accept.v1', referralId, { referralId }),
    );
    expect(wrongParty).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });

    const accepted = await send(
      SOCIAL,
      commandFrom(SOCIAL, 'referral.accept.v1', referralId, {
        referralId,
        assignee: 'Discharge team',
      }),
    );
    expect(accepted.status).toBe(200);
    const acceptedEvent = await inboxEvent(GP, 'referral.accepted.v1', referralId);
    const caseId = (acceptedEvent.json?.data as { caseId: string }).caseId;
    const opened = await inboxEvent(SOCIAL, 'case.opened.v1', caseId);
    expect(opened.json?.data).toMatchObject({ responsible: SOCIAL, fromReferralId: referralId });
    const listed = await eventually(async () => {
      const inbox = (await (
        await backbone.http(`/v1/agencies/${SOCIAL}/inbox`, DEMO_API_KEYS[SOCIAL])
      ).json()) as {
        items: { referralId: string; status: string }[];
      };
      return inbox.items.find(
        (item) => item.referralId === referralId && item.status === 'accepted',
      );
    }, 'the accepted referral in the receiver inbox');
    expect(listed).toMatchObject({ from: GP });
    // The referrer hears of the acceptance but not of the receiver's own case.
    expect(typesOnInbox(GP, caseId)).toEqual([]);

    // A second accept is refused: the referral is no longer awaiting a decision.
    const again = await send(
      SOCIAL,
      commandFrom(SOCIAL, 'referral.accept.v1', referralId, { referralId }),
    );
    expect(again).toMatchObject({ status: 409, body: { code: 'INVALID_TRANSITION' } });

    const handoverId = randomUUID();
    const propose = commandFrom(SOCIAL, 'case.handover.propose.v1', caseId, {
      caseId,
      handoverId,
      to: HOUSING,
      reason: 'Needs supported housing before care at home can start',
      summary: 'Discharged; mobility limited',
    });
    expect((await send(SOCIAL, propose)).status).toBe(200);
    await inboxEvent(HOUSING, 'case.handover-proposed.v1', caseId);

    const acceptHandover = commandFrom(HOUSING, 'case.handover.accept.v1', caseId, {
      caseId,
      handoverId,
    });
    expect((await send(HOUSING, acceptHandover)).status).toBe(200);
    const completed = await inboxEvent(SOCIAL, 'case.handover-completed.v1', caseId);
    expect(completed.json?.data).toMatchObject({ from: SOCIAL, to: HOUSING });
    await inboxEvent(HOUSING, 'case.handover-completed.v1', caseId);

    // Responsibility moved: the previous agency can no longer close the case; the new one can.
    const closeBySocial = await send(
      SOCIAL,
      commandFrom(SOCIAL, 'case.close.v1', caseId, { caseId, reason: 'done' }),
    );
    expect(closeBySocial.body).toMatchObject({ code: 'NOT_FOUND' });
    const closeByHousing = await send(
      HOUSING,
      commandFrom(HOUSING, 'case.close.v1', caseId, { caseId, reason: 'Housed' }),
    );
    expect(closeByHousing.status).toBe(200);
  });

  it('redirects a referral to a better-placed agency, which gets a new linked referral', async () => {
    const make = makeReferralCommand(GP, SOCIAL, {});
    make.data.category = 'safeguarding';
    const referralId = make.subject;
    expect((await send(GP, make)).status).toBe(200);
    const newReferralId = randomUUID();
    const redirect = commandFrom(SOCIAL, 'referral.redirect.v1', referralId, {
      referralId,
      to: 'east-jutland-police',
      reason: 'Risk of harm from a third party',
      reasonCode: 'wrong-service',
      newReferralId,
    });
    const redirected = await send(SOCIAL, redirect);
    expect(redirected.status).toBe(200);
    const made = await inboxEvent(GP, 'referral.made.v1', newReferralId);
    expect(made.json?.data).toMatchObject({
      from: GP,
      to: 'east-jutland-police',
      redirectedFrom: referralId,
      redirectedBy: SOCIAL,
    });
    const redirectedEvent = await inboxEvent(GP, 'referral.redirected.v1', referralId);
    expect(redirectedEvent.json?.data).toMatchObject({ reasonCode: 'wrong-service' });
  });

  it('carries a rejection’s reason code to the referrer, and refuses a code the contract has not', async () => {
    const make = makeReferralCommand(GP, SOCIAL, {});
    make.data.category = 'adult-social-care';
    const referralId = make.subject;
    expect((await send(GP, make)).status).toBe(200);
    const reject = (reasonCode: string) =>
      commandFrom(SOCIAL, 'referral.reject.v1', referralId, {
        referralId,
        reason: 'Known to the community team already',
        reasonCode,
      });
    const unknownCode = await send(SOCIAL, reject('too-busy'));
    expect(unknownCode).toMatchObject({
      status: 422,
      body: { code: 'INVALID', errors: [expect.objectContaining({ path: 'data.reasonCode' })] },
    });
    expect((await send(SOCIAL, reject('already-known'))).status).toBe(200);
    const rejected = await inboxEvent(GP, 'referral.rejected.v1', referralId);
    expect(rejected.json?.data).toMatchObject({ reasonCode: 'already-known' });
  });

  it('serves every value set with English, Danish and German labels to anyone (GET /v1/codes)', async () => {
    const response = await fetch(`${backbone.baseUrl}/v1/codes`);
    expect(response.status).toBe(200);
    const sets = (await response.json()) as Record<string, { code: string; labels: object }[]>;
    expect(Object.keys(sets).sort()).toEqual([
      'categories',
      'lawfulBases',
      'outcomeCodes',
      'priorities',
      'reasonCodes',
      'rejectionCodes',
    ]);
    expect(sets.reasonCodes).toContainEqual({
      code: 'no-capacity',
      labels: { en: 'No capacity', da: 'Ingen kapacitet', de: 'Keine Kapazität' },
    });
  });
});
