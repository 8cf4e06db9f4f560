import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '@backbone/database';
import { LogPosition, PostgresEventStore, START_OF_LOG } from '@backbone/event-store';
import { applyEventsToTable } from '../engine/apply-to-table';
import { projectedFromStore } from '../engine/projected-event';
import { READ_MODELS } from '../engine/read-models';
import { FACTS_TABLES } from './facts-source';

/** Events read from the store per page while refolding. */
const PAGE = 5_000;

/** Each fact model's live table, its as-of table, and the fold both are made with. */
const REFOLDED = [
  { model: READ_MODELS['referral-facts'], asOf: FACTS_TABLES['as-of'].referrals },
  { model: READ_MODELS['handover-facts'], asOf: FACTS_TABLES['as-of'].handovers },
].map(({ model, asOf }) => ({ live: model.table, asOf, model }));

/**
 * Temporary tables like every live table of the fact models, their summaries' too (the flows
 * beside referral facts): the refold keeps each summary as live processing does, through the
 * facts' own upsert.
 */
const TEMPORARY_TABLES = REFOLDED.flatMap(({ live, asOf, model }) => {
  const summary = model.projection.summary;
  return [
    { live, asOf },
    ...(summary && model.summary
      ? [{ live: model.summary.table, asOf: summary.tableBeside(asOf) }]
      : []),
  ];
});

/**
 * Runs `work` on the insights' facts as they stood at `moment`: every event the store recorded
 * up to then, refolded through the live models' own folds into temporary tables that live as long
 * as the transaction. What a director saw then, counted by today's definitions (issue 24: the
 * history is re-counted, which only an event-sourced system can do), and counted by the same
 * queries as the live flows. It reads the whole log of the folds' event types, so it costs a
 * rebuild of those models' share of the store. The pages are read on the transaction's own
 * connection: waiting for a second one of the pool while holding this one can wait for good.
 */
export function withFactsAsOf<T>(
  pool: Pool,
  store: Pick<PostgresEventStore, 'readAll'>,
  moment: Date,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  return inTransaction(pool, async (client) => {
    for (const { live, asOf } of TEMPORARY_TABLES) {
      await client.query(`CREATE TEMP TABLE ${asOf} (LIKE ${live} INCLUDING ALL) ON COMMIT DROP`);
    }
    const until = moment.getTime();
    const eventTypes = REFOLDED.flatMap(({ model }) => model.projection.eventTypes);
    let position: LogPosition = START_OF_LOG;
    for (;;) {
      const page = await store.readAll({
        client,
        fromPosition: position,
        limit: PAGE,
        filter: { eventTypes },
      });
      const events = page.events
        .filter((event) => Date.parse(event.recordedAt) <= until)
        .map(projectedFromStore);
      for (const { asOf, model } of REFOLDED) {
        const own = events.filter((event) => model.handles(event.type));
        if (own.length) await applyEventsToTable(client, model.projection, own, asOf);
      }
      if (page.events.length < PAGE) break;
      position = page.nextPosition;
    }
    return work(client);
  });
}
