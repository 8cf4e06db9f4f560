// A referral takes at most MAX_NOTES_PER_REFERRAL notes, so the history every command on it
// reads and folds stays bounded; both ways of deciding refuse the next one alike.
import { PostgresEventStore } from '@backbone/event-store';
import { MAX_NOTES_PER_REFERRAL, referralStreamId } from '@backbone/domain';
import { commandFrom, makeReferralCommand } from '@backbone/testing/referral-commands';
import { freshCommandHandling } from '@backbone/testing/command-handling-app';
import { outcomeGist } from '@backbone/testing/deciding-both-ways';
import { CommandBatchProcessor, CommandRecord } from '../command-intake/command-batch-processor';
import { CommandProcessor, ProcessedCommand } from '../command-intake/command-processor';

const SCHOOL = 'randers-school';
const SOCIAL = 'randers-social';

const gist = outcomeGist;

describe('notes per referral', () => {
  const handling = freshCommandHandling((app) => ({
    store: app.get(PostgresEventStore),
    batch: app.get(CommandBatchProcessor),
    oneByOne: app.get(CommandProcessor),
  }));

  it(`takes ${MAX_NOTES_PER_REFERRAL} notes on a referral and refuses the next, batched or alone`, async () => {
    const make = makeReferralCommand(SCHOOL, SOCIAL);
    const referralId = make.subject;
    const note = (agencyId: string, i: number): CommandRecord => ({
      agencyId,
      value: Buffer.from(
        JSON.stringify(
          commandFrom(agencyId, 'referral.note.v1', referralId, { referralId, text: `note ${i}` }),
        ),
      ),
    });
    const notes = Array.from({ length: MAX_NOTES_PER_REFERRAL + 1 }, (_, i) =>
      note(i % 2 ? SCHOOL : SOCIAL, i),
    );
    const makeRecord = { agencyId: SCHOOL, value: Buffer.from(JSON.stringify(make)) };
    const results = await handling.batch.process([makeRecord, ...notes]);
    expect(results.slice(0, -1).map(gist)).toEqual(
      Array(MAX_NOTES_PER_REFERRAL + 1).fill('accepted'),
    );
    const refused = results.at(-1) as ProcessedCommand;
    expect(gist(refused)).toBe('rejected INVALID_TRANSITION');
    expect(refused.kind === 'answered' && refused.outcome.data).toMatchObject({
      reason: expect.stringContaining(`${MAX_NOTES_PER_REFERRAL} notes`),
    });

    const alone = note(SOCIAL, MAX_NOTES_PER_REFERRAL + 1);
    expect(gist(await handling.oneByOne.process(alone.value, alone.agencyId))).toBe(
      'rejected INVALID_TRANSITION',
    );
    expect(await handling.store.readStream(referralStreamId(referralId))).toHaveLength(
      1 + MAX_NOTES_PER_REFERRAL,
    );
    // Still worked on and closed when full.
    const cancel = commandFrom(SCHOOL, 'referral.cancel.v1', referralId, {
      referralId,
      reason: 'Family moved away',
    });
    expect(gist(await handling.oneByOne.process(Buffer.from(JSON.stringify(cancel)), SCHOOL))).toBe(
      'accepted',
    );
  });
});
