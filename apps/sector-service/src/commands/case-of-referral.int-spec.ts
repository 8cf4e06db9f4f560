// The case accepting a referral opens cannot be taken first by the referrer: it knows the
// referral id (it chose it), but not the key the case id derives with.
import { PostgresEventStore } from '@backbone/event-store';
import { caseStreamId, derivedUuid, referralStreamId } from '@backbone/domain';
import { commandFrom, makeReferralCommand } from '@backbone/testing/referral-commands';
import { freshCommandHandling } from '@backbone/testing/command-handling-app';
import { DECIDING_WAYS, commandSender, outcomeGist } from '@backbone/testing/deciding-both-ways';

const SCHOOL = 'randers-school';
const SOCIAL = 'randers-social';

const gist = outcomeGist;

describe.each(DECIDING_WAYS)('the case of an accepted referral, deciding %s', (way) => {
  const handling = freshCommandHandling((app) => ({
    store: app.get(PostgresEventStore),
    send: commandSender(app, way),
  }));

  it('opens a case the referrer could not have opened first under the same id', async () => {
    const make = makeReferralCommand(SCHOOL, SOCIAL);
    const referralId = make.subject;
    expect(gist(await handling.send(SCHOOL, make))).toBe('accepted');
    // The referrer opens a case under the id the acceptance used to take (public derivation).
    const squatted = derivedUuid('case-of-referral', referralId);
    const squat = commandFrom(SCHOOL, 'case.open.v1', squatted, {
      caseId: squatted,
      subject: make.data.subject,
      lawfulBasis: { basis: 'public-task' },
    });
    expect(gist(await handling.send(SCHOOL, squat))).toBe('accepted');

    const accept = commandFrom(SOCIAL, 'referral.accept.v1', referralId, { referralId });
    expect(gist(await handling.send(SOCIAL, accept))).toBe('accepted');
    const [, accepted] = await handling.store.readStream(referralStreamId(referralId));
    const { caseId } = accepted.data as { caseId: string };
    expect(caseId).not.toBe(squatted);
    const [opened] = await handling.store.readStream(caseStreamId(caseId));
    expect(opened).toMatchObject({
      type: 'case.opened.v1',
      data: { caseId, responsible: SOCIAL, fromReferralId: referralId },
    });
    // A redelivered acceptance is answered from the log; a new one finds the referral accepted.
    expect(await handling.send(SOCIAL, accept)).toEqual(await handling.send(SOCIAL, accept));
    const again = commandFrom(SOCIAL, 'referral.accept.v1', referralId, { referralId });
    expect(gist(await handling.send(SOCIAL, again))).toBe('rejected INVALID_TRANSITION');
    expect(await handling.store.readStream(caseStreamId(caseId))).toHaveLength(1);
  });

  it('gives each referral its own case id', async () => {
    const caseIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const make = makeReferralCommand(SCHOOL, SOCIAL);
      await handling.send(SCHOOL, make);
      const referralId = make.subject;
      await handling.send(
        SOCIAL,
        commandFrom(SOCIAL, 'referral.accept.v1', referralId, { referralId }),
      );
      const [, accepted] = await handling.store.readStream(referralStreamId(referralId));
      caseIds.push((accepted.data as { caseId: string }).caseId);
    }
    expect(new Set(caseIds).size).toBe(3);
  });
});
