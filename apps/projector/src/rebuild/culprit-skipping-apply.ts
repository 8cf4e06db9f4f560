import type { PoolClient } from 'pg';
import { describeQuarantineError, quarantineMetrics, quarantinedEvents } from '@backbone/database';
import { rootLogger } from '@backbone/observability';
import { applyEventsToTable } from '../engine/apply-to-table';
import { worthIsolating } from '../engine/culprit-isolation';
import type { ReadModel } from '../engine/read-models';
import type { LoggedEvent } from './store-log-copy';

const logger = rootLogger.child({ component: 'projector-rebuild' });

/** `events` into each model's table (as `tableOf` names it), all or nothing, in a savepoint. */
async function applyAll(
  client: PoolClient,
  models: readonly ReadModel[],
  events: readonly LoggedEvent[],
  tableOf: (model: ReadModel) => string,
): Promise<unknown> {
  await client.query('SAVEPOINT culprit_search');
  try {
    for (const model of models)
      await applyEventsToTable(client, model.projection, events, tableOf(model));
    await client.query('RELEASE SAVEPOINT culprit_search');
    return undefined;
  } catch (error) {
    if (!worthIsolating(error)) throw error;
    await client.query('ROLLBACK TO SAVEPOINT culprit_search');
    await client.query('RELEASE SAVEPOINT culprit_search');
    return error;
  }
}

/**
 * Applies a batch of the log in the caller's transaction as the live projector would: whole
 * if it can, else event by event, and an event that fails alone (for a reason other than a
 * passing fault) is quarantined, as the live projector quarantines it, and passed over. Slower
 * than a rebuild's bulk fold, so used only where that met an event it could not write, and for
 * the tail caught up under lock.
 */
export async function applySkippingCulprits(
  client: PoolClient,
  models: readonly ReadModel[],
  events: readonly LoggedEvent[],
  tableOf: (model: ReadModel) => string,
): Promise<number> {
  if (!(await applyAll(client, models, events, tableOf))) return 0;
  let quarantined = 0;
  for (const event of events) {
    const error = await applyAll(client, models, [event], tableOf);
    if (!error) continue;
    const ref = await quarantinedEvents.recordByPosition(
      client,
      'projector',
      event.globalPosition,
      error,
    );
    quarantined++;
    if (!ref) continue; // quarantined before (by the live projector)
    quarantineMetrics.quarantined.inc({ consumer: 'projector' });
    logger.error(
      { ...ref, error: describeQuarantineError(error) },
      'event quarantined by a rebuild: the read models cannot apply it; rebuilt without it',
    );
  }
  return quarantined;
}
