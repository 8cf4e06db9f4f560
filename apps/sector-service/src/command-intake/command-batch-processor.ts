import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { CLOCK, Clock } from '@backbone/config';
import { OutcomeEvent, acceptedOutcome, rejectedOutcome } from '@backbone/contracts';
import { PIPELINED_POOL, inPipelinedTransaction, settledInOrder } from '@backbone/database';
import { Directory } from '@backbone/directory';
import {
  EventIdConflictError,
  EventIdsAlreadyStoredError,
  PostgresEventStore,
  WrongExpectedVersionError,
} from '@backbone/event-store';
import { SubjectErasedError, TransactionKeys, needsSealing } from '@backbone/data-protection';
import type { StreamAppend } from '../commands/append-plan';
import { AppendSealing } from '../commands/append-sealing';
import { SubjectRegistry } from '@backbone/data-protection';
import { TransactionSubjects } from '../subjects/transaction-subjects';
import { CommandDecisions, PreparedDecision } from '../commands/command-decisions';
import { DecidedStreams, StreamAlreadyStartedError } from '../commands/decided-streams';
import { commandBatchMetrics } from './command-batch-metrics';
import { CommandExecution } from '../commands/command-execution';
import { CommandLog, CommandLogEntry, logKey } from './command-log';
import { ProcessedCommand, CommandProcessor } from './command-processor';
import { CommandIdentity, TriagedCommand, answerFromLog, triageCommand } from './command-triage';

export interface CommandRecord {
  value: Buffer | null;
  /** The agency whose command topic the record came from. */
  agencyId: string;
  /** The trace context of the span answering it. */
  traceparent?: string;
}

/** A race or a redelivery the batch cannot settle alone: it is split, down to one by one. */
class BatchNeedsOneByOne extends Error {}

/**
 * Answers a group of fetched records (the batches of several partitions) together: one
 * command-log lookup, one read of every stream they act on, decisions in order against state
 * kept in memory (a later command on the same referral sees the earlier one's events), then
 * every event, outcome, new subject link and new data key in one transaction, the events in one
 * statement. It is an optimisation of
 * CommandProcessor, never a second set of rules: what it cannot settle together (a lost race, a
 * concurrent delivery of the same command, an erased subject) goes down the one-by-one path.
 */
@Injectable()
export class CommandBatchProcessor {
  constructor(
    @Inject(PIPELINED_POOL) private readonly pipelinedPool: Pool,
    private readonly store: PostgresEventStore,
    private readonly directory: Directory,
    private readonly log: CommandLog,
    private readonly decisions: CommandDecisions,
    private readonly sealing: AppendSealing,
    private readonly subjects: SubjectRegistry,
    private readonly oneByOne: CommandProcessor,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async process(records: CommandRecord[]): Promise<ProcessedCommand[]> {
    const triaged = records.map((r) =>
      triageCommand(r.value, r.agencyId, this.directory, r.traceparent),
    );
    commandBatchMetrics.size.observe(records.length);
    return this.settle(records, triaged);
  }

  /**
   * Decides the records together where it can. A group holds the batches of many partitions, so
   * a race or a repeat costs only the records around it their batching, not the whole group:
   * - a command id repeated within them waits until the records before it are decided, and then
   *   finds the first one's outcome in the log;
   * - records that meet a race are split in two and each half settled in turn, down to a single
   *   record, which goes the one-by-one way.
   * Parts are settled in order, so each partition's records keep theirs.
   */
  private async settle(
    records: CommandRecord[],
    triaged: TriagedCommand[],
  ): Promise<ProcessedCommand[]> {
    const repeat = firstRepeatedId(triaged);
    if (repeat !== undefined) return this.inTurn(records, triaged, repeat);
    try {
      const answers = await this.decideTogether(triaged);
      commandBatchMetrics.batches.inc({ path: 'together' });
      return answers;
    } catch (error) {
      if (!isRace(error)) throw error;
    }
    if (records.length > 1) return this.inTurn(records, triaged, Math.ceil(records.length / 2));
    commandBatchMetrics.batches.inc({ path: 'one_by_one' });
    const [record] = records;
    return [await this.oneByOne.process(record.value, record.agencyId, record.traceparent)];
  }

  /** The records before `cut` settled, then the rest. */
  private async inTurn(
    records: CommandRecord[],
    triaged: TriagedCommand[],
    cut: number,
  ): Promise<ProcessedCommand[]> {
    const before = await this.settle(records.slice(0, cut), triaged.slice(0, cut));
    const after = await this.settle(records.slice(cut), triaged.slice(cut));
    return [...before, ...after];
  }

  private async decideTogether(triaged: TriagedCommand[]): Promise<ProcessedCommand[]> {
    const answerable = triaged.flatMap((t) => (t.kind === 'unanswerable' ? [] : [t.identity]));
    const executable = triaged.flatMap((command, index) =>
      command.kind === 'executable' ? [{ index, ...command }] : [],
    );
    // The log, the people and the streams are read side by side, each in one query: a command
    // already answered only costs reads. Every new person's subject is found in that one read;
    // the new links are written with the rest below.
    const subjects = new TransactionSubjects(this.subjects);
    const [earlier, prepared, histories] = await Promise.all([
      this.log.findMany(
        answerable.map(({ agencyId, answering }) => ({ agencyId, commandId: answering.commandId })),
      ),
      Promise.all(executable.map((e) => this.decisions.prepare(e.execution, subjects))),
      this.store.readStreams([
        ...new Set(executable.map((e) => this.decisions.streamIdOf(e.execution))),
      ]),
    ]);
    const streams = new DecidedStreams(histories);

    const results = new Map<number, ProcessedCommand>();
    const toRecord: CommandLogEntry[] = [];
    const executed = new Map(executable.map((e, i) => [e.index, prepared[i]]));
    triaged.forEach((command, index) => {
      if (command.kind === 'unanswerable') return results.set(index, command);
      const { identity } = command;
      const logged = earlier.get(logKey(identity.agencyId, identity.answering.commandId));
      if (logged) return results.set(index, answered(answerFromLog(command, logged)));
      const answeredAt = this.clock.now();
      const outcome =
        command.kind === 'refused'
          ? rejectedOutcome({ ...identity.answering, answeredAt }, command.rejection)
          : decideOne(
              command.execution,
              executed.get(index) as PreparedDecision,
              streams,
              answeredAt,
            );
      toRecord.push(logEntry(identity, outcome));
      results.set(index, answered(outcome));
    });
    const inOrder = (): ProcessedCommand[] =>
      triaged.map((_, index) => results.get(index) as ProcessedCommand);
    // Every command already answered (a redelivery), or none answerable: nothing to write.
    if (!toRecord.length) return inOrder();
    const keys = this.sealing.keysForTransaction();
    // Sorted by stream id: one lock order for every batch, so that two batches never deadlock.
    const appends = streams
      .pendingAppends()
      .sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
    const sealed = await this.sealAll(appends, keys);

    await inPipelinedTransaction(this.pipelinedPool, async (client) => {
      // One lock order for every batch (streams, links, keys, outcomes; each sorted by key), so
      // two batches never deadlock. The four statements go to PostgreSQL together, behind the
      // BEGIN, in this order: each call sends its statement before it first waits. The COMMIT
      // waits for their results, which may send the batch the one-by-one way instead.
      const [, linked, keyed, recorded] = await settledInOrder([
        this.store.appendToStreams(sealed, { client, announcedByCaller: true }),
        subjects.store(client),
        keys.store(client),
        this.log.recordMany(toRecord, client),
      ] as const);
      // Another transaction linked one of these people, or gave one a key, after they were
      // read: decide again one by one, against what it stored.
      if (!linked || !keyed) throw new BatchNeedsOneByOne();
      // Another delivery of one of these commands was answered meanwhile: its outcome stands.
      if (recorded !== toRecord.length) throw new BatchNeedsOneByOne();
    });
    keys.committed();
    if (appends.length) this.store.announceAppends();
    return inOrder();
  }

  /**
   * The batch's appends with their personal fields sealed, every key read (or drafted, for new
   * people) in one query.
   */
  private async sealAll(appends: StreamAppend[], keys: TransactionKeys): Promise<StreamAppend[]> {
    await keys.load(
      appends.flatMap(({ subjectId, events }) =>
        subjectId && events.some(needsSealing) ? [subjectId] : [],
      ),
    );
    const sealed = await this.sealing.seal(appends, keys);
    // Refusing it needs the one-by-one path's reasoning (and it is rare): hand the batch over.
    if (!sealed) throw new BatchNeedsOneByOne();
    return sealed;
  }
}

/**
 * Decides one command against the batch's state so far. Its events are sealed later, all
 * together: until then the state holds them unsealed, and a later decision that copies a
 * personal value copies plaintext, which is sealed with the rest.
 */
function decideOne(
  execution: CommandExecution,
  { streamId, decide }: PreparedDecision,
  streams: DecidedStreams,
  answeredAt: Date,
): OutcomeEvent {
  const decided = streams.decide(streamId, decide, execution.stamp);
  const answering = { ...execution.answering, answeredAt };
  return decided.kind === 'rejected'
    ? rejectedOutcome(answering, decided.rejection)
    : acceptedOutcome(answering, decided.eventIds, decided.streamVersion);
}

const answered = (outcome: OutcomeEvent): ProcessedCommand => ({ kind: 'answered', outcome });

const logEntry = (identity: CommandIdentity, outcome: OutcomeEvent): CommandLogEntry => ({
  agencyId: identity.agencyId,
  commandType: identity.type,
  fingerprint: identity.fingerprint,
  outcome,
});

/**
 * Where a command id comes a second time among the records, if it does: the second must get the
 * first's outcome, so it cannot be decided in the same transaction.
 */
function firstRepeatedId(triaged: TriagedCommand[]): number | undefined {
  const seen = new Set<string>();
  for (const [index, command] of triaged.entries()) {
    if (command.kind === 'unanswerable') continue;
    const key = logKey(command.identity.agencyId, command.identity.answering.commandId);
    if (seen.has(key)) return index;
    seen.add(key);
  }
  return undefined;
}

const isRace = (error: unknown): boolean =>
  error instanceof WrongExpectedVersionError ||
  error instanceof StreamAlreadyStartedError ||
  error instanceof EventIdConflictError ||
  error instanceof EventIdsAlreadyStoredError ||
  error instanceof SubjectErasedError ||
  error instanceof BatchNeedsOneByOne;
