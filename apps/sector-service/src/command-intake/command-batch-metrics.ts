import { sharedCounter, sharedHistogram } from '@backbone/observability';

export const commandBatchMetrics = {
  /**
   * How fetched records were decided: a part decided together, or a single record decided the
   * one-by-one way after a race. A race splits its records, so one group may count several times.
   */
  batches: sharedCounter<'path'>({
    name: 'sector_command_batches_total',
    help:
      'Parts of command groups by how they were decided ' +
      '(together; one_by_one: a single record after a race)',
    labelNames: ['path'],
  }),
  size: sharedHistogram({
    name: 'sector_command_batch_records',
    help: 'Command records decided per batch',
    buckets: [1, 2, 5, 10, 20, 50, 100],
  }),
};
