import { Injectable } from '@nestjs/common';
import { BatchGroups } from '@backbone/messaging';
import { CommandBatchProcessor, CommandRecord } from './command-batch-processor';
import type { ProcessedCommand } from './command-processor';

/**
 * The command partitions' batches decided in groups, each group in one transaction (see
 * BatchGroups): two groups in flight, at most 500 records in one.
 */
@Injectable()
export class CommandGroups {
  private readonly groups: BatchGroups<CommandRecord, ProcessedCommand>;

  constructor(processor: CommandBatchProcessor) {
    this.groups = new BatchGroups((records) => processor.process(records), {
      inFlight: 2,
      maxSize: 500,
    });
  }

  /** The records' answers, in order, once the group they joined is decided. */
  decide(records: CommandRecord[]): Promise<ProcessedCommand[]> {
    return this.groups.submit(records);
  }
}
