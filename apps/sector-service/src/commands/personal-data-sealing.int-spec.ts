// What an agency sends is plaintext, however it looks; a sealed value opens only in the stream
// and event it was sealed for; values a decision copies (the case an acceptance opens, the
// referral a redirect makes) are sealed again for where they go; values sealed before that
// binding (`pd1.`) still open and are copied in the new form. Both ways of deciding agree.
import { randomBytes, randomUUID } from 'node:crypto';
import { PersonalDataOpener, SubjectKeys, isSealed, sealBytes } from '@backbone/data-protection';
import { PostgresEventStore, StoredEvent } from '@backbone/event-store';
import { referralStreamId } from '@backbone/domain';
import { commandFrom, makeReferralCommand } from '@backbone/testing/referral-commands';
import { freshCommandHandling } from '@backbone/testing/command-handling-app';
import { DECIDING_WAYS, commandSender } from '@backbone/testing/deciding-both-ways';

const SCHOOL = 'randers-school';
const SOCIAL = 'randers-social';
const POLICE = 'east-jutland-police';

describe.each(DECIDING_WAYS)('personal data sealed, deciding %s', (way) => {
  const handling = freshCommandHandling((app) => ({
    store: app.get(PostgresEventStore),
    opener: app.get(PersonalDataOpener),
    keys: app.get(SubjectKeys),
    send: commandSender(app, way),
  }));

  const accepted = async (agencyId: string, command: unknown): Promise<void> => {
    const result = await handling.send(agencyId, command);
    expect(result.kind === 'answered' && result.outcome.type).toBe('command.accepted');
  };
  const opened = async (streamId: string) => {
    const { events, unreadable } = await handling.opener.open(
      await handling.store.readStream(streamId),
    );
    expect(unreadable).toEqual([]);
    return events;
  };
  const made = async (referralId: string): Promise<StoredEvent> =>
    (await handling.store.readStream(referralStreamId(referralId)))[0];

  it('seals a value that merely looks sealed, as the plaintext it is', async () => {
    const lookalike = `pd1.${randomUUID()}.${randomBytes(48).toString('base64url')}`;
    const make = makeReferralCommand(SCHOOL, SOCIAL);
    make.data.reason = lookalike;
    await accepted(SCHOOL, make);
    const stored = await made(make.subject);
    expect(stored.data.reason).not.toBe(lookalike);
    expect(stored.data.reason).toMatch(/^pd2\./);
    const [event] = await opened(referralStreamId(make.subject));
    expect(event.data.reason).toBe(lookalike);
  });

  it('does not open a ciphertext replayed from another referral: it is only text in the new one', async () => {
    const victim = makeReferralCommand(SCHOOL, SOCIAL);
    victim.data.reason = 'Disclosed abuse at home to the school nurse.';
    await accepted(SCHOOL, victim);
    const ciphertext = (await made(victim.subject)).data.reason as string;
    expect(isSealed(ciphertext)).toBe(true);

    // The same person (same key), so only the stream and event binding can stop it.
    const replay = makeReferralCommand(SCHOOL, SOCIAL);
    replay.data.reason = ciphertext;
    await accepted(SCHOOL, replay);
    const [event] = await opened(referralStreamId(replay.subject));
    expect(event.data.reason).toBe(ciphertext);
    expect(JSON.stringify(event.data)).not.toContain('Disclosed abuse');
  });

  it('seals what an acceptance and a redirect copy again for the case and referral they make', async () => {
    const make = makeReferralCommand(SCHOOL, SOCIAL, {});
    make.data.category = 'safeguarding';
    const referralId = make.subject;
    await accepted(SCHOOL, make);
    const newReferralId = randomUUID();
    await accepted(
      SOCIAL,
      commandFrom(SOCIAL, 'referral.redirect.v1', referralId, {
        referralId,
        to: POLICE,
        reason: 'A matter for the police first.',
        newReferralId,
      }),
    );
    await accepted(
      POLICE,
      commandFrom(POLICE, 'referral.accept.v1', newReferralId, { referralId: newReferralId }),
    );
    const original = await made(referralId);
    const [remade, acceptedEvent] = await handling.store.readStream(
      referralStreamId(newReferralId),
    );
    const caseId = (acceptedEvent.data as { caseId: string }).caseId;
    const [caseOpened] = await handling.store.readStream(`case-${caseId}`);
    // Sealed again for each event, not copied ciphertext.
    expect(remade.data.reason).toMatch(/^pd2\./);
    expect(remade.data.reason).not.toBe(original.data.reason);
    expect(caseOpened.data.subject).toMatch(/^pd2\./);
    expect(caseOpened.data.subject).not.toBe(remade.data.subject);

    const [remadeOpen] = await opened(referralStreamId(newReferralId));
    expect(remadeOpen.data).toMatchObject({ reason: make.data.reason, subject: make.data.subject });
    const [caseOpen] = await opened(`case-${caseId}`);
    expect(caseOpen.data.subject).toEqual(make.data.subject);
    for (const streamId of [referralStreamId(newReferralId), `case-${caseId}`]) {
      expect(await handling.store.verifyStream(streamId)).toMatchObject({ valid: true });
    }
  });

  it('opens values sealed before the binding (pd1) and copies them in the new form', async () => {
    const referralId = randomUUID();
    const streamId = referralStreamId(referralId);
    const subjectId = `subj-legacy-${randomUUID()}`;
    const { keyId, key } = await handling.keys.forSealing(subjectId);
    const pd1 = (field: string, value: unknown) =>
      `pd1.${keyId}.${sealBytes(key, Buffer.from(JSON.stringify(value)), `pd1|${keyId}|${field}`).toString('base64url')}`;
    const subject = { identifiers: [{ system: 'dk-cpr', value: '0909095678' }] };
    await handling.store.appendToStream(streamId, 'no-stream', [
      {
        eventId: randomUUID(),
        type: 'referral.made.v1',
        data: {
          referralId,
          from: SCHOOL,
          to: SOCIAL,
          category: 'child-social-care',
          priority: 'urgent',
          reason: pd1('reason', 'Stored before pd2.'),
          subjectId,
          subject: pd1('subject', subject),
          lawfulBasis: { basis: 'public-task' },
          decisionDueBy: new Date(Date.now() + 86_400_000).toISOString(),
        },
        metadata: { subjectId, parties: [SCHOOL, SOCIAL], actingAgency: SCHOOL },
      },
    ]);
    const [legacy] = await opened(streamId);
    expect(legacy.data).toMatchObject({ reason: 'Stored before pd2.', subject });

    await accepted(SOCIAL, commandFrom(SOCIAL, 'referral.accept.v1', referralId, { referralId }));
    const [, acceptedEvent] = await handling.store.readStream(streamId);
    const caseId = (acceptedEvent.data as { caseId: string }).caseId;
    const [caseOpened] = await handling.store.readStream(`case-${caseId}`);
    expect(caseOpened.data.subject).toMatch(/^pd2\./);
    const [caseOpen] = await opened(`case-${caseId}`);
    expect(caseOpen.data.subject).toEqual(subject);
  });
});
