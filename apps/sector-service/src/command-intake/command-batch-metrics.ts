import { sharedCounter, sharedHistogram } from '@backbone/observability';

export const commandBatchMetrics = {
  /** How fetched records were decided: together, or one by one after a race or a repeat. */
  batches: sharedCounter<'path'>({
    name: 'sector_command_batches_total',
    help: 'Batches of command records by how they were decided (together, one_by_one)',
    labelNames: ['path'],
  }),
  size: sharedHistogram({
    name: 'sector_command_batch_records',
    help: 'Command records decided per batch',
    buckets: [1, 2, 5, 10, 20, 50, 100],
  }),
};
