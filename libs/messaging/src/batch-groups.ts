export interface BatchGroupOptions<T> {
  /** Groups worked on at the same time: while one commits, the next one gathers. */
  inFlight: number;
  /** The most units of work in one group (a group always takes at least one batch). */
  maxSize: number;
  /** How many units an item counts for (1 each by default). */
  sizeOf?: (item: T) => number;
}

interface Waiting<T, R> {
  items: T[];
  answer: (results: R[]) => void;
  fail: (error: unknown) => void;
}

/**
 * Works on the batches of several partitions together: batches handed over while earlier groups
 * are being worked on wait, and are then worked on as one group (in the callers here, one
 * transaction: a group commit). kafkajs hands each partition's batch over separately, and at
 * low load a fetch brings a record or two per partition, each of which used to cost a commit
 * and a dozen round trips. Groups are started in the order their batches were submitted, but two
 * may be in flight at once: a caller that submits a partition's next batch before the one before
 * it is done orders them itself (the projector does, by its offset rows' locks).
 */
export class BatchGroups<T, R> {
  private readonly waiting: Waiting<T, R>[] = [];
  private inFlight = 0;
  private scheduled = false;

  /** `work` answers a group's items in order, one result per item. */
  constructor(
    private readonly work: (items: T[]) => Promise<R[]>,
    private readonly options: BatchGroupOptions<T>,
  ) {}

  /** The items' results, in order, once the group they joined is done. */
  submit(items: T[]): Promise<R[]> {
    return new Promise((answer, fail) => {
      this.waiting.push({ items, answer, fail });
      this.schedule();
    });
  }

  /** Starts a group after this turn of the event loop, so that batches fetched together join it. */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.inFlight || !this.waiting.length) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.workOnGroup();
    });
  }

  private async workOnGroup(): Promise<void> {
    const group = this.takeGroup();
    if (!group.length) return;
    this.inFlight++;
    this.schedule(); // batches left over (the group was full) may start a second group now
    try {
      const results = await this.work(group.flatMap((batch) => batch.items));
      let start = 0;
      for (const batch of group) {
        batch.answer(results.slice(start, start + batch.items.length));
        start += batch.items.length;
      }
    } catch (error) {
      for (const batch of group) batch.fail(error);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }

  /** Waiting batches up to the group's size (always at least one). */
  private takeGroup(): Waiting<T, R>[] {
    const sizeOf = this.options.sizeOf ?? (() => 1);
    let size = 0;
    let taken = 0;
    while (taken < this.waiting.length) {
      size += this.waiting[taken].items.reduce((sum, item) => sum + sizeOf(item), 0);
      if (taken > 0 && size > this.options.maxSize) break;
      taken++;
    }
    return this.waiting.splice(0, taken);
  }
}
