// The case accepting a referral opens cannot be taken first by the referrer: it knows the
// referral id (it chose it), but not the key the case id derives with.
import { PostgresEventStore } from '@backbone/event-store';
import { caseStreamId, derivedUuid, referralStreamId } from '@backbone/domain';
import { commandFrom, makeReferralCommand } from '@backbone/testing/referral-commands';
import { startCommandHandling } from '@backbone/testing/command-handling-app';
import { TestDatabase, createTestDatabase } from '@backbone/testing/test-stack';
import { DECIDING_WAYS, commandSender, outcomeGist } from '@backbone/testing/deciding-both-ways';
import { ProcessedCommand } from '../command-intake/command-processor';

const SCHOOL = 'randers-school';
const SOCIAL = 'randers-social';

const gist = outcomeGist;

describe.each(DECIDING_WAYS)('the case of an accepted referral, deciding %s', (way) => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let send: (agencyId: string, command: unknown) => Promise<ProcessedCommand>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    database = await createTestDatabase();
    const app = await startCommandHandling(database.url);
    store = app.get(PostgresEventStore);
    send = commandSender(app, way);
    close = () => app.close();
  });
  afterAll(async () => {
    await close?.();
    await database?.drop();
  });

  it('opens a case the referrer could not have opened first under the same id', async () => {
    const make = makeReferralCommand(SCHOOL, SOCIAL);
    const referralId = make.subject;
    expect(gist(await send(SCHOOL, make))).toBe('accepted');
    // The referrer opens a case under the id the acceptance used to take (public derivation).
    const squatted = derivedUuid('case-of-referral', referralId);
    const squat = commandFrom(SCHOOL, 'case.open.v1', squatted, {
      caseId: squatted,
      subject: make.data.subject,
      lawfulBasis: { basis: 'public-task' },
    });
    expect(gist(await send(SCHOOL, squat))).toBe('accepted');

    const accept = commandFrom(SOCIAL, 'referral.accept.v1', referralId, { referralId });
    expect(gist(await send(SOCIAL, accept))).toBe('accepted');
    const [, accepted] = await store.readStream(referralStreamId(referralId));
    const { caseId } = accepted.data as { caseId: string };
    expect(caseId).not.toBe(squatted);
    const [opened] = await store.readStream(caseStreamId(caseId));
    expect(opened).toMatchObject({
      type: 'case.opened.v1',
      data: { caseId, responsible: SOCIAL, fromReferralId: referralId },
    });
    // A redelivered acceptance is answered from the log; a new one finds the referral accepted.
    expect(await send(SOCIAL, accept)).toEqual(await send(SOCIAL, accept));
    const again = commandFrom(SOCIAL, 'referral.accept.v1', referralId, { referralId });
    expect(gist(await send(SOCIAL, again))).toBe('rejected INVALID_TRANSITION');
    expect(await store.readStream(caseStreamId(caseId))).toHaveLength(1);
  });

  it('gives each referral its own case id', async () => {
    const caseIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const make = makeReferralCommand(SCHOOL, SOCIAL);
      await send(SCHOOL, make);
      const referralId = make.subject;
      await send(SOCIAL, commandFrom(SOCIAL, 'referral.accept.v1', referralId, { referralId }));
      const [, accepted] = await store.readStream(referralStreamId(referralId));
      caseIds.push((accepted.data as { caseId: string }).caseId);
    }
    expect(new Set(caseIds).size).toBe(3);
  });
});
