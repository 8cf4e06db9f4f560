import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '@backbone/database';
import { EventStore, LogPosition, START_OF_LOG, StoredEvent } from '@backbone/event-store';
import { applyEventsToTable } from '../engine/apply-to-table';
import { projectedFromStore } from '../engine/projected-event';
import { REFERRAL_FACT_PROJECTION } from '../models/referral-facts/referral-fact.fold';
import type { FactsAsOfTable } from './cooperation-flows.queries';

const TABLE: FactsAsOfTable = 'referral_facts_as_of';
/** Events read from the store per page while refolding. */
const PAGE = 5_000;

/**
 * Runs `work` on the referral facts as they stood at `moment`: every event the store recorded
 * up to then, refolded through the same fold as the live model into a temporary table that
 * lives as long as the transaction. What a director saw then, counted by today's definitions
 * (issue 24: the history is re-counted, which only an event-sourced system can do). It reads the
 * whole log of the fold's event types, so it costs a rebuild of that model's share of the store.
 */
export function withFactsAsOf<T>(
  pool: Pool,
  store: Pick<EventStore, 'readAll'>,
  moment: Date,
  work: (client: PoolClient, table: FactsAsOfTable) => Promise<T>,
): Promise<T> {
  return inTransaction(pool, async (client) => {
    await client.query(
      `CREATE TEMP TABLE ${TABLE} (LIKE referral_facts INCLUDING ALL) ON COMMIT DROP`,
    );
    const until = moment.getTime();
    const recordedBy = (event: StoredEvent) => Date.parse(event.recordedAt) <= until;
    let position: LogPosition = START_OF_LOG;
    for (;;) {
      const page = await store.readAll({
        fromPosition: position,
        limit: PAGE,
        filter: { eventTypes: [...REFERRAL_FACT_PROJECTION.eventTypes] },
      });
      const events = page.events.filter(recordedBy).map(projectedFromStore);
      if (events.length) await applyEventsToTable(client, REFERRAL_FACT_PROJECTION, events, TABLE);
      if (page.events.length < PAGE) break;
      position = page.nextPosition;
    }
    return work(client, TABLE);
  });
}
