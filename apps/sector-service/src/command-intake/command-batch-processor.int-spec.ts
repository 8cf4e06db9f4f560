// Deciding a partition's records together must answer exactly as deciding them one by one
// would: same outcomes, same events, in order within a referral, and races settled the same way.
import { randomUUID } from 'node:crypto';
import { PersonalDataOpener, SubjectErasure } from '@backbone/data-protection';
import { PostgresEventStore } from '@backbone/event-store';
import { commandFrom, makeReferralCommand } from '@backbone/testing/referral-commands';
import { freshCommandHandling, startCommandHandling } from '@backbone/testing/command-handling-app';
import { commandBatchMetrics } from './command-batch-metrics';
import { CommandBatchProcessor, CommandRecord } from './command-batch-processor';
import { CommandProcessor, ProcessedCommand } from './command-processor';

const SCHOOL = 'randers-school';
const SOCIAL = 'randers-social';

const record = (agencyId: string, command: unknown): CommandRecord => ({
  agencyId,
  value: Buffer.from(typeof command === 'string' ? command : JSON.stringify(command)),
});

/** What an agency can tell of an answer: accepted or the rejection code, and the version. */
const gist = (result: ProcessedCommand) =>
  result.kind === 'unanswerable'
    ? 'unanswerable'
    : result.outcome.type === 'command.accepted'
      ? `accepted v${(result.outcome.data as { streamVersion: number }).streamVersion}`
      : `rejected ${(result.outcome.data as { code: string }).code}`;

describe('deciding a batch of commands together', () => {
  const handling = freshCommandHandling((app) => ({
    batch: app.get(CommandBatchProcessor),
    oneByOne: app.get(CommandProcessor),
    store: app.get(PostgresEventStore),
    opener: app.get(PersonalDataOpener),
    erasure: app.get(SubjectErasure),
  }));
  // A second instance on the same database, for races between instances.
  let other: { batch: CommandBatchProcessor };

  beforeAll(async () => {
    const second = await startCommandHandling(handling.url);
    handling.closeBeforeDrop(() => second.close());
    other = { batch: second.get(CommandBatchProcessor) };
  });

  /** A referral's whole story plus every kind of refusal, as one partition would deliver it. */
  function mixedRecords() {
    const make = makeReferralCommand(SCHOOL, SOCIAL);
    const referralId = make.subject;
    const acknowledge = commandFrom(SOCIAL, 'referral.acknowledge.v1', referralId, { referralId });
    const accept = commandFrom(SOCIAL, 'referral.accept.v1', referralId, { referralId });
    const acceptAgain = commandFrom(SOCIAL, 'referral.accept.v1', referralId, { referralId });
    const badCategory = makeReferralCommand(SCHOOL, SOCIAL);
    badCategory.data.category = 'debt-advice';
    const forged = makeReferralCommand(SOCIAL, SCHOOL);
    return {
      referralId,
      records: [
        record(SCHOOL, make),
        record(SOCIAL, acknowledge),
        record(SOCIAL, accept),
        record(SOCIAL, acceptAgain),
        record(SCHOOL, badCategory),
        record(SCHOOL, forged),
        record(SCHOOL, { id: randomUUID(), specversion: '1.0' }),
        record(SCHOOL, 'not json at all'),
      ],
    };
  }
  const expectedGists = [
    'accepted v1',
    'accepted v2',
    'accepted v3',
    'rejected INVALID_TRANSITION',
    'rejected INVALID',
    'rejected FORBIDDEN',
    'rejected MALFORMED',
    'unanswerable',
  ];

  const decided = async (path: 'together' | 'one_by_one') =>
    (await commandBatchMetrics.batches.get()).values.find((v) => v.labels.path === path)?.value ??
    0;
  const decidedTogether = () => decided('together');

  it('answers every record as one-by-one processing does, in one go', async () => {
    const together = mixedRecords();
    const alone = mixedRecords();
    const before = await decidedTogether();
    const batchResults = await handling.batch.process(together.records);
    expect(await decidedTogether()).toBe(before + 1);
    const singleResults: ProcessedCommand[] = [];
    for (const r of alone.records)
      singleResults.push(await handling.oneByOne.process(r.value, r.agencyId));
    expect(batchResults.map(gist)).toEqual(expectedGists);
    expect(singleResults.map(gist)).toEqual(expectedGists);

    const types = async (referralId: string) =>
      (await handling.store.readStream(`referral-${referralId}`)).map((e) => e.type);
    expect(await types(together.referralId)).toEqual(await types(alone.referralId));
    const [, , accepted] = batchResults;
    const events =
      accepted.kind === 'answered' ? (accepted.outcome.data as { events: string[] }).events : [];
    expect(events).toHaveLength(2); // referral.accepted.v1 and the receiver's case.opened.v1
  });

  it('answers a redelivered batch from the log and appends nothing', async () => {
    const { referralId, records } = mixedRecords();
    const first = await handling.batch.process(records);
    const again = await handling.batch.process(records);
    expect(again).toEqual(first);
    expect(await handling.store.readStream(`referral-${referralId}`)).toHaveLength(3);
  });

  it('gives a command id repeated within one batch a single outcome', async () => {
    const make = makeReferralCommand(SCHOOL, SOCIAL);
    const results = await handling.batch.process([record(SCHOOL, make), record(SCHOOL, make)]);
    expect(results[1]).toEqual(results[0]);
    expect(await handling.store.readStream(`referral-${make.subject}`)).toHaveLength(1);
  });

  it('decides the records before and after a repeated id together, in turn', async () => {
    const [first, second, third] = [1, 2, 3].map(() => makeReferralCommand(SCHOOL, SOCIAL));
    const before = { together: await decided('together'), alone: await decided('one_by_one') };
    const results = await handling.batch.process(
      [first, second, first, third].map((make) => record(SCHOOL, make)),
    );
    expect(results.map(gist)).toEqual(['accepted v1', 'accepted v1', 'accepted v1', 'accepted v1']);
    expect(results[2]).toEqual(results[0]);
    expect(await decided('together')).toBe(before.together + 2); // [first, second], [first, third]
    expect(await decided('one_by_one')).toBe(before.alone);
    expect(await handling.store.readStream(`referral-${first.subject}`)).toHaveLength(1);
  });

  it('sends only the record that cannot be decided together the one-by-one way', async () => {
    const existing = makeReferralCommand(SCHOOL, SOCIAL);
    existing.data.subject.identifiers = [{ system: 'uk-nhs', value: randomUUID() }];
    const referralId = existing.subject;
    await handling.batch.process([record(SCHOOL, existing)]);
    const [made] = await handling.store.readStream(`referral-${referralId}`);
    await handling.erasure.erase({
      subjectId: made.metadata.subjectId as string,
      operatorId: 'test-operator',
      commandId: randomUUID(),
      correlationId: randomUUID(),
    });
    // Personal data about an erased person: refusing it takes the one-by-one path's reasoning.
    const note = commandFrom(SOCIAL, 'referral.note.v1', referralId, {
      referralId,
      text: 'Spoke to the family today.',
    });
    const makes = [1, 2, 3, 4, 5].map(() => makeReferralCommand(SCHOOL, SOCIAL));
    const group = [
      ...makes.slice(0, 3).map((make) => record(SCHOOL, make)),
      record(SOCIAL, note),
      ...makes.slice(3).map((make) => record(SCHOOL, make)),
    ];
    const before = { together: await decided('together'), alone: await decided('one_by_one') };

    const results = await handling.batch.process(group);
    expect(results.map(gist)).toEqual([
      ...['accepted v1', 'accepted v1', 'accepted v1'],
      'rejected INVALID_TRANSITION',
      ...['accepted v1', 'accepted v1'],
    ]);
    // All six fail together; [0, 3) together; [3, 6) fails, [3, 5) fails, [3] alone, then [4]
    // and [5] together.
    expect(await decided('one_by_one')).toBe(before.alone + 1);
    expect(await decided('together')).toBe(before.together + 3);
    for (const make of makes) {
      expect(await handling.store.readStream(`referral-${make.subject}`)).toHaveLength(1);
    }
  });

  it('takes a new referral about an erased person, under a subject that was never erased', async () => {
    const person = { system: 'uk-nhs', value: randomUUID() };
    const about = () => {
      const make = makeReferralCommand(SCHOOL, SOCIAL);
      make.data.subject.identifiers = [person];
      return make;
    };
    const first = about();
    await handling.batch.process([record(SCHOOL, first)]);
    const [made] = await handling.store.readStream(`referral-${first.subject}`);
    const erased = made.metadata.subjectId as string;
    await handling.erasure.erase({
      subjectId: erased,
      operatorId: 'test-operator',
      commandId: randomUUID(),
      correlationId: randomUUID(),
    });

    const again = about();
    const others = [1, 2, 3].map(() => makeReferralCommand(SCHOOL, SOCIAL));
    const results = await handling.batch.process(
      [others[0], again, ...others.slice(1)].map((make) => record(SCHOOL, make)),
    );
    expect(results.map(gist)).toEqual(['accepted v1', 'accepted v1', 'accepted v1', 'accepted v1']);
    const [remade] = await handling.store.readStream(`referral-${again.subject}`);
    expect(remade.metadata.subjectId).not.toBe(erased);
    const { events: opened } = await handling.opener.open([remade]);
    expect(opened[0].data.reason).toBe(again.data.reason);
  });

  it('registers new people and their keys with the batch, one subject per person', async () => {
    const person = { system: 'uk-nhs', value: randomUUID() };
    const other = { system: 'uk-nhs', value: randomUUID() };
    const about = (identifiers: object[]) => {
      const make = makeReferralCommand(SCHOOL, SOCIAL);
      make.data.subject.identifiers = identifiers as typeof make.data.subject.identifiers;
      return make;
    };
    const makes = [about([person]), about([other, person]), about([other])];
    const before = await decidedTogether();
    const results = await handling.batch.process(makes.map((make) => record(SCHOOL, make)));
    expect(results.map(gist)).toEqual(['accepted v1', 'accepted v1', 'accepted v1']);
    expect(await decidedTogether()).toBe(before + 1);

    const made = await Promise.all(
      makes.map(async (make) => (await handling.store.readStream(`referral-${make.subject}`))[0]),
    );
    const subjects = made.map((event) => event.metadata.subjectId);
    expect(new Set(subjects).size).toBe(1); // `other` arrived linked to `person`
    const { events: opened } = await handling.opener.open(made);
    expect(opened.map((event) => event.data.reason)).toEqual(makes.map((make) => make.data.reason));
    expect(made[0].data.reason).not.toBe(makes[0].data.reason); // stored sealed
  });

  it('settles races between instances: one of accept and reject wins, the other is re-decided', async () => {
    for (let round = 0; round < 8; round++) {
      const make = makeReferralCommand(SCHOOL, SOCIAL);
      const referralId = make.subject;
      await handling.batch.process([record(SCHOOL, make)]);
      const note = (text: string) =>
        record(SOCIAL, commandFrom(SOCIAL, 'referral.note.v1', referralId, { referralId, text }));
      const accept = commandFrom(SOCIAL, 'referral.accept.v1', referralId, { referralId });
      const reject = commandFrom(SOCIAL, 'referral.reject.v1', referralId, {
        referralId,
        reason: 'No capacity',
      });
      const [a, b] = await Promise.all([
        handling.batch.process([note('first'), record(SOCIAL, accept)]),
        other.batch.process([note('second'), record(SOCIAL, reject)]),
      ]);
      const decisions = [a[1], b[1]].map(gist);
      expect(decisions.filter((g) => g.startsWith('accepted'))).toHaveLength(1);
      expect(decisions.filter((g) => g === 'rejected INVALID_TRANSITION')).toHaveLength(1);
      // Every accepted command, and only those, left its events, in one unbroken sequence.
      const acceptedCount = [...a, ...b].filter((r) => gist(r).startsWith('accepted')).length;
      const stored = await handling.store.readStream(`referral-${referralId}`);
      const acceptedEvents = (r: ProcessedCommand) =>
        r.kind === 'answered' && r.outcome.type === 'command.accepted'
          ? (r.outcome.data as { events: string[] }).events.length
          : 0;
      expect(stored.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4].slice(0, 1 + acceptedCount));
      expect(1 + [...a, ...b].reduce((n, r) => n + acceptedEvents(r), 0)).toBe(
        stored.length + (decisions[0].startsWith('accepted') ? 1 : 0),
      );
      expect(await handling.store.verifyStream(`referral-${referralId}`)).toMatchObject({
        valid: true,
      });
    }
  });

  it('refuses, as one-by-one does, a referral or case naming identifiers of two people, telling nothing of them', async () => {
    const scenario = () => {
      const [first, second, unseen] = [1, 2, 3].map(() => ({
        system: 'uk-nhs',
        value: randomUUID(),
      }));
      const about = (identifiers: object[]) => {
        const make = makeReferralCommand(SCHOOL, SOCIAL);
        make.data.subject.identifiers = identifiers as typeof make.data.subject.identifiers;
        return make;
      };
      const caseId = randomUUID();
      const openCase = commandFrom(SOCIAL, 'case.open.v1', caseId, {
        caseId,
        subject: { identifiers: [second, first] },
        lawfulBasis: { basis: 'public-task' },
      });
      const records = [
        record(SCHOOL, about([first])),
        record(SCHOOL, about([second])),
        record(SCHOOL, about([unseen, first, second])),
        record(SOCIAL, openCase),
        record(SCHOOL, about([unseen])),
      ];
      return { records, first, second, unseen };
    };
    const expected = [
      'accepted v1',
      'accepted v1',
      'rejected CONFLICT',
      'rejected CONFLICT',
      'accepted v1',
    ];
    const together = scenario();
    const batchResults = await handling.batch.process(together.records);
    const alone = scenario();
    const singleResults: ProcessedCommand[] = [];
    for (const r of alone.records)
      singleResults.push(await handling.oneByOne.process(r.value, r.agencyId));
    expect(batchResults.map(gist)).toEqual(expected);
    expect(singleResults.map(gist)).toEqual(expected);

    for (const [results, { records, first, second, unseen }] of [
      [batchResults, together],
      [singleResults, alone],
    ] as const) {
      const subjects = await Promise.all(
        [0, 1, 4].map(async (i) => {
          const referralId = (JSON.parse(String(records[i].value)) as { subject: string }).subject;
          return (await handling.store.readStream(`referral-${referralId}`))[0].metadata
            .subjectId as string;
        }),
      );
      expect(new Set(subjects).size).toBe(3); // nobody merged; the unseen identifier is its own person
      for (const refused of [results[2], results[3]]) {
        const text = JSON.stringify(refused.kind === 'answered' ? refused.outcome.data : refused);
        for (const secret of [...subjects, first.value, second.value, unseen.value]) {
          expect(text).not.toContain(secret);
        }
      }
    }
  });
});
