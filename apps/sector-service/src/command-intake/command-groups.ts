import { Injectable } from '@nestjs/common';
import { CommandBatchProcessor, CommandRecord } from './command-batch-processor';
import type { ProcessedCommand } from './command-processor';

/** Groups decided at the same time: while one commits, the next one gathers and reads. */
const GROUPS_IN_FLIGHT = 2;
/** The most records decided in one group (one transaction). */
const MAX_GROUP_RECORDS = 500;

interface Waiting {
  records: CommandRecord[];
  answer: (results: ProcessedCommand[]) => void;
  fail: (error: unknown) => void;
}

/**
 * Decides the batches of several partitions together: batches that arrive while earlier groups
 * are being decided wait, and are then decided as one group, in one transaction (a group commit).
 * At low load a fetch brings one or two records per partition; deciding each partition's alone
 * cost a commit and a dozen round trips per record. Order within a partition holds: kafkajs hands
 * over a partition's next batch only once its previous one is answered.
 */
@Injectable()
export class CommandGroups {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(private readonly processor: CommandBatchProcessor) {}

  /** The records' answers, in order, once the group they joined is decided. */
  decide(records: CommandRecord[]): Promise<ProcessedCommand[]> {
    return new Promise((answer, fail) => {
      this.waiting.push({ records, answer, fail });
      this.schedule();
    });
  }

  /** Starts a group after this turn of the event loop, so that batches fetched together join it. */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= GROUPS_IN_FLIGHT || !this.waiting.length) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.decideGroup();
    });
  }

  private async decideGroup(): Promise<void> {
    const group = this.takeGroup();
    if (!group.length) return;
    this.inFlight++;
    this.schedule(); // batches left over (the group was full) may start a second group now
    try {
      const results = await this.processor.process(group.flatMap((batch) => batch.records));
      let start = 0;
      for (const batch of group) {
        batch.answer(results.slice(start, start + batch.records.length));
        start += batch.records.length;
      }
    } catch (error) {
      for (const batch of group) batch.fail(error);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }

  /** Waiting batches up to the group's size (always at least one). */
  private takeGroup(): Waiting[] {
    let records = 0;
    let taken = 0;
    while (taken < this.waiting.length) {
      records += this.waiting[taken].records.length;
      if (taken > 0 && records > MAX_GROUP_RECORDS) break;
      taken++;
    }
    return this.waiting.splice(0, taken);
  }
}
